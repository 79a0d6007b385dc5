package io.camserver.track;

import io.camserver.vision.Box;
import io.camserver.vision.Detection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Greedy IoU association of detections to tracks, per camera. Frames reach analysis with gaps
 * (the latest-frame slot drops frames under load), so a face may move more than its box between
 * analysed frames: a detection whose centre is near a track's centre also continues it, the
 * nearer the less time passed ({@link #reach}). Not thread-safe: owned by whoever processes the camera.
 */
public final class FaceTracker {
    private final TrackerConfig config;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;
    /** When the faces were last seen (a detector run, or a still frame that held them). */
    private long lastSeenFrameNanos = Long.MIN_VALUE;

    public FaceTracker(TrackerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A detection of this frame with the track it belongs to. */
    public record Assigned(Track track, Detection detection, boolean isNew) {
    }

    /** The outcome of one frame: faces in it, and tracks that ended. */
    public record Update(List<Assigned> faces, List<Track> ended) {
    }

    public Update update(List<Detection> detections, long nowNanos, Instant now) {
        record Pair(int track, int det, float score) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Box tb = tracks.get(t).box();
            double reach = reach(nowNanos - tracks.get(t).lastSeenNanos());
            for (int d = 0; d < detections.size(); d++) {
                Box db = detections.get(d).box();
                float iou = tb.iou(db);
                if (iou >= config.minIou()) {
                    pairs.add(new Pair(t, d, 1 + iou));
                } else {
                    double dist = Math.hypot(tb.cx() - db.cx(), tb.cy() - db.cy());
                    double size = Math.max(tb.w(), db.w());
                    double ratio = Math.max(tb.w(), db.w()) / Math.max(1e-3, Math.min(tb.w(), db.w()));
                    if (dist < size * reach && ratio < 2) {
                        pairs.add(new Pair(t, d, (float) (1 - dist / size)));
                    }
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::score).reversed());
        boolean[] trackUsed = new boolean[tracks.size()];
        Track[] owner = new Track[detections.size()];
        for (Pair p : pairs) {
            if (!trackUsed[p.track()] && owner[p.det()] == null) {
                trackUsed[p.track()] = true;
                owner[p.det()] = tracks.get(p.track());
            }
        }
        List<Assigned> faces = new ArrayList<>(detections.size());
        for (int d = 0; d < detections.size(); d++) {
            Detection det = detections.get(d);
            Track t = owner[d];
            if (t != null) {
                t.seen(det.box(), nowNanos, now);
                faces.add(new Assigned(t, det, false));
            } else {
                Track fresh = new Track(nextId++, det.box(), nowNanos, now, config.votesToDecide());
                tracks.add(fresh);
                faces.add(new Assigned(fresh, det, true));
            }
        }
        lastSeenFrameNanos = nowNanos;
        long maxAge = config.maxAge().toNanos();
        List<Track> ended = new ArrayList<>();
        tracks.removeIf(t -> {
            if (nowNanos - t.lastSeenNanos() > maxAge) {
                ended.add(t);
                return true;
            }
            return false;
        });
        return new Update(faces, ended);
    }

    /**
     * A frame in which nothing moved: every face the detector saw last time is where it was, so
     * its track is kept alive at its box (a person standing still must not age out while the
     * detector rests). Tracks the detector missed last time are left to age as before. Returns the
     * tracks held, for drawing.
     */
    public List<Track> hold(long nowNanos, Instant now) {
        List<Track> held = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            if (t.lastSeenNanos() == lastSeenFrameNanos) {
                t.seen(t.box(), nowNanos, now);
                held.add(t);
            }
        }
        lastSeenFrameNanos = nowNanos;
        return held;
    }

    /** Whether any face is tracked. */
    public boolean tracking() {
        return !tracks.isEmpty();
    }

    /**
     * How far (in face widths) a face may have moved since its track was last seen and still
     * continue it: half a face at 10 analysed frames a second, growing with the time between
     * analysed frames (a camera analysed less often under load sees a walking face move further
     * between them), up to one and a half faces. Tracks are kept by time, not by frame count, so
     * a camera analysed at 3 fps does not re-embed every face it could have followed at 10.
     */
    static double reach(long sinceLastSeenNanos) {
        double tenths = sinceLastSeenNanos / 100_000_000.0;
        return Math.min(1.5, Math.max(0.5, 0.5 * tenths));
    }

    /**
     * Whether some track still wants its first embeddings, which a still frame must not delay. A
     * track whose latest view was too poor to embed does not count: a still scene shows the same
     * poor view again.
     */
    public boolean warmingUp() {
        for (Track t : tracks) {
            if (t.embeds() < config.firstEmbeds() && !t.lastViewPoor() && t.vote().decision().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which faces of this frame to embed: new tracks' first frames (until their vote decides)
     * first, then the longest unrefreshed, at most {@code maxEmbedsPerFrame}. In a still scene ({@code still}) a tracked
     * face shows the same view as when it was last embedded, so a face whose name is decided is
     * not embedded again (the refresh exists for a face that turns, which is motion); undecided
     * ones still are.
     */
    public List<Assigned> toEmbed(List<Assigned> faces, long nowNanos, boolean still) {
        long refresh = config.refresh().toNanos();
        List<Assigned> due = new ArrayList<>();
        for (Assigned a : faces) {
            Track t = a.track();
            boolean decided = t.vote().decision().isPresent();
            // The first frames' embeddings are there to reach a decision: once the vote has one,
            // more of them only confirm it (the refresh re-checks a decided face once a second).
            if ((t.embeds() < config.firstEmbeds() && !decided) || ((!still || !decided) && nowNanos - t.lastEmbedNanos() >= refresh)) {
                due.add(a);
            }
        }
        due.sort(Comparator.comparingInt((Assigned a) -> a.track().embeds()).thenComparingLong(a -> a.track().lastEmbedNanos()));
        return due.size() > config.maxEmbedsPerFrame() ? due.subList(0, config.maxEmbedsPerFrame()) : due;
    }
}
