package io.camserver.analysis;

import io.camserver.live.Dispatcher;
import io.camserver.live.TrackOutcome;
import io.camserver.track.NameVote;
import io.camserver.vision.AlignedFace;
import java.util.Optional;
import org.opencv.core.Rect;
import io.camserver.gallery.Gallery;
import io.camserver.gallery.Match;
import io.camserver.gallery.OnePerFrame;
import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.ingest.Camera;
import io.camserver.ingest.Frame;
import io.camserver.metrics.Metrics;
import io.camserver.motion.MotionGate;
import io.camserver.output.Annotator;
import io.camserver.output.Broadcaster;
import io.camserver.image.JpegEncoder;
import io.camserver.track.FaceTracker;
import io.camserver.track.Track;
import io.camserver.vision.Detection;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.FaceQuality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything analysis keeps for one camera: its tracker, its annotated output stream and its
 * mosaic tile. The {@link #scheduled} flag guarantees at most one worker processes a camera at a
 * time, so the tracker needs no lock: it has one owner at any moment, handed over through the
 * scheduler's queue (which gives the happens-before between successive owners).
 */
final class CameraPipeline {
    private static final Logger log = LoggerFactory.getLogger(CameraPipeline.class);

    final Camera camera;
    final Broadcaster output;
    final AtomicBoolean scheduled = new AtomicBoolean();
    private final FaceTracker tracker;
    private final Dispatcher dispatcher;
    private final Metrics metrics;
    private final DecisionPictures pictures = new DecisionPictures();
    private final AtomicLong analysed = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final CameraTile tile = new CameraTile();
    private volatile String lastDecodeError;
    private volatile byte[] latestJpeg;
    private volatile boolean closed;
    /** Null when motion gating is off: every frame is run through the detector. */
    private final MotionGate gate;
    private final boolean debug;
    private final long refreshNanos;
    private final long recheckNanos;
    private final FaceQuality.Limits quality;
    private final AtomicLong stillFrames = new AtomicLong();
    private long lastDetectNanos = Long.MIN_VALUE / 2;
    /** When the first frame of each undecided track arrived, for the time from a face's first frame to its decision. */
    private final java.util.Map<Long, Long> born = new java.util.HashMap<>();
    /** Whether the last analysed frame held faces: such cameras are served first (see ReadyQueue). */
    volatile boolean hadFaces;

    CameraPipeline(Camera camera, AnalysisConfig config, Dispatcher dispatcher, Metrics metrics) {
        this.camera = camera;
        this.output = new Broadcaster("camera " + camera.id());
        this.tracker = new FaceTracker(config.tracker());
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        AnalysisConfig.Motion m = config.motion();
        this.gate = m.enabled() ? new MotionGate(m.threshold(), m.minArea()) : null;
        this.debug = config.debug();
        this.refreshNanos = config.tracker().refresh().toNanos();
        this.recheckNanos = m.recheck().toNanos();
        this.quality = config.quality();
        String id = camera.id();
        metrics.cameraFunctionCounter(id, "camserver.frames.dropped", "frames replaced in the slot before analysis", camera.slot(),
                s -> s.dropped());
        metrics.cameraFunctionCounter(id, "camserver.frames.analysed", "frames analysed (run through the detector, or found still)", analysed,
                AtomicLong::get);
        metrics.cameraFunctionCounter(id, "camserver.frames.still", "frames in which nothing moved, so the detector was not run", stillFrames,
                AtomicLong::get);
        metrics.cameraFunctionCounter(id, "camserver.frames.corrupt", "parts that were not a JPEG (skipped at ingest) or did not decode",
                camera, c -> decodeErrors.get() + (c.puller() == null ? 0 : c.puller().status().notJpeg()));
        metrics.cameraGauge(id, "camserver.viewers", "viewers of this camera's stream", output, Broadcaster::viewers);
    }

    long analysed() {
        return analysed.get();
    }

    long stillFrames() {
        return stillFrames.get();
    }

    long decodeErrors() {
        return decodeErrors.get();
    }

    byte[] latestJpeg() {
        return latestJpeg;
    }

    String lastDecodeError() {
        return lastDecodeError;
    }

    /**
     * Runs one frame through the motion gate, then (when something moved, a track wants its first
     * embeddings, or a re-check is due) detect, track, embed (when due), vote, annotate and publish.
     */
    void process(Frame frame, FaceAnalyzer analyzer, Gallery gallery, ImageDecoder decoder, JpegEncoder encoder, boolean mosaicWanted) {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        latestJpeg = frame.jpeg();
        boolean streamWanted = output.wanted();
        MotionGate.Result motion = MotionGate.Result.UNCHECKED;
        if (gate != null) {
            motion = gate.check(frame.jpeg(), debug && (streamWanted || mosaicWanted));
            long m1 = System.nanoTime();
            metrics.stage("motion").record(m1 - t0, TimeUnit.NANOSECONDS);
            if (!motion.moving() && !tracker.warmingUp() && m1 - lastDetectNanos < (tracker.tracking() ? refreshNanos : recheckNanos)) {
                still(frame, decoder, encoder, streamWanted, m1);
                return;
            }
        }
        long d0 = System.nanoTime();
        // The detector gets the frame at the scale its network needs (a half-size decode for
        // VGA); the full picture is decoded only for what needs its pixels: a face to embed, a
        // decision's snapshot, a viewer of the stream or the mosaic.
        Mat small = null;
        Mat full = null;
        try {
            // A viewer of this camera's stream sees every pixel: one full decode serves both. The
            // mosaic and the Live page's tiles are drawn on the detector's smaller picture.
            ImageDecoder.Scaled scaled = decoder.decodeScaled(frame.jpeg(), (w, h) -> streamWanted ? 1 : analyzer.reduction(w, h));
            small = scaled.image();
            int reduction = scaled.reduction();
            if (reduction == 1) {
                full = small;
            }
            long t1 = System.nanoTime();
            metrics.stage(reduction == 1 ? "decode.full" : "decode").record(t1 - d0, TimeUnit.NANOSECONDS);
            long c1 = Metrics.threadCpuNanos();
            List<Detection> found = analyzer.detect(small, reduction);
            long t2 = System.nanoTime();
            lastDetectNanos = t2;
            metrics.stage("detect").record(t2 - t1, TimeUnit.NANOSECONDS);
            metrics.stageCpu("detect", Metrics.threadCpuNanos() - c1);
            Instant now = Instant.now();
            FaceTracker.Update update = tracker.update(found, t2, now);
            update.faces().stream().filter(FaceTracker.Assigned::isNew).forEach(a -> born.put(a.track().id(), frame.arrivedNanos()));
            update.ended().forEach(t -> born.remove(t.id()));
            hadFaces = !update.faces().isEmpty();
            List<Embedded> embedded = new ArrayList<>();
            try {
                for (FaceTracker.Assigned a : tracker.toEmbed(update.faces(), t2, !motion.moving())) {
                    FaceQuality q = FaceQuality.of(a.detection());
                    Optional<String> poor = quality.reject(q);
                    if (poor.isPresent()) {
                        skipped(a.track(), poor.get());
                        continue;
                    }
                    if (full == null) {
                        full = decodeFull(frame, decoder);
                    }
                    long e0 = System.nanoTime();
                    long ec0 = Metrics.threadCpuNanos();
                    AlignedFace face = analyzer.align(full, a.detection());
                    q = q.withSharpness(face);
                    poor = quality.reject(q);
                    if (poor.isPresent()) {
                        face.close();
                        skipped(a.track(), poor.get());
                        continue;
                    }
                    embedded.add(new Embedded(a, q, face, null, null)); // closed in finally, whatever happens next
                    Embedding emb = analyzer.embed(face);
                    embedded.set(embedded.size() - 1, new Embedded(a, q, face, emb, gallery.match(emb)));
                    metrics.stage("embed").record(System.nanoTime() - e0, TimeUnit.NANOSECONDS);
                    metrics.stageCpu("embed", Metrics.threadCpuNanos() - ec0);
                }
                vote(embedded, update, gallery, full, t2, now);
            } finally {
                embedded.forEach(e -> e.face().close());
            }
            for (Track ended : update.ended()) {
                if (ended.vote().decision().isPresent()) {
                    dispatcher.publish(new TrackOutcome.Ended(camera.id(), ended.id(), ended.lastSeenAt(), ended.bestSimilarity()));
                }
            }
            if (streamWanted || mosaicWanted) {
                if (streamWanted && full == null) {
                    full = decodeFull(frame, decoder);
                }
                // Drawn at the picture's own scale: the full frame for the stream, else the detector's.
                Mat canvas = streamWanted ? full : small;
                float k = streamWanted ? 1f : 1f / reduction;
                List<Annotator.Label> labels = new ArrayList<>(update.faces().size());
                for (FaceTracker.Assigned a : update.faces()) {
                    labels.add(new Annotator.Label(a.detection().box().scaled(k), a.track().label()));
                }
                List<Rect> regions = motion.regions().stream().map(r -> new Rect((int) (r.x * k), (int) (r.y * k), Math.max(1, (int) (r.width * k)),
                        Math.max(1, (int) (r.height * k)))).toList();
                show(canvas, labels, regions, streamWanted, mosaicWanted, encoder);
            }
            analysed.incrementAndGet();
            metrics.frameLatency(System.nanoTime() - frame.arrivedNanos());
        } catch (ImageDecodeException e) {
            decodeFailed(frame, e);
        } finally {
            if (full != null && full != small) {
                full.release();
            }
            if (small != null) {
                small.release();
            }
        }
    }

    /** A face embedded in this frame, its aligned pixels (open until the frame is done), its match alone. */
    private record Embedded(FaceTracker.Assigned assigned, FaceQuality quality, AlignedFace face, Embedding embedding, Match match) {
    }

    /**
     * The frame's matches go to their tracks' votes with one person at most once in the frame (a
     * person named on another track in view keeps the name unless this face is a better match).
     */
    private void vote(List<Embedded> embedded, FaceTracker.Update update, Gallery gallery, Mat full, long nowNanos, Instant now) {
        if (embedded.isEmpty()) {
            return;
        }
        java.util.Set<Track> matchedNow = new java.util.HashSet<>(embedded.stream().map(e -> e.assigned().track()).toList());
        java.util.Map<String, Float> held = new java.util.HashMap<>();
        for (FaceTracker.Assigned other : update.faces()) {
            if (!matchedNow.contains(other.track())) {
                other.track().vote().decision().flatMap(NameVote.Decision::person)
                        .ifPresent(p -> held.merge(p.id(), other.track().vote().decision().get().similarity(), Math::max));
            }
        }
        List<Match> settled = OnePerFrame.assign(embedded.stream().map(Embedded::match).toList(), gallery.config(), held);
        for (int i = 0; i < embedded.size(); i++) {
            Embedded e = embedded.get(i);
            Match m = settled.get(i);
            Track t = e.assigned().track();
            t.embedded(nowNanos, m.similarity(), e.embedding().unsafeVector());
            Optional<NameVote.Decision> decided = t.vote().add(m);
            if (decided.isPresent()) {
                var d = decided.get();
                Long first = born.remove(t.id());
                if (first != null) {
                    metrics.timeToDecision(System.nanoTime() - first);
                }
                dispatcher.publish(decidedOutcome(t, d, e.assigned().detection(), e.quality(), e.embedding(), e.face(), full, now, m.ignored()));
            }
        }
    }

    private Mat decodeFull(Frame frame, ImageDecoder decoder) throws ImageDecodeException {
        long d0 = System.nanoTime();
        Mat full = decoder.decode(frame.jpeg());
        metrics.stage("decode.full").record(System.nanoTime() - d0, TimeUnit.NANOSECONDS);
        return full;
    }

    /**
     * A frame in which nothing moved: the tracks stay where they were, and the frame is decoded
     * only for a viewer of this camera's stream, who sees every frame. The mosaic tile, an
     * overview, already shows this scene as last analysed and is redrawn at each re-check.
     */
    private void still(Frame frame, ImageDecoder decoder, JpegEncoder encoder, boolean streamWanted, long nowNanos) {
        List<Track> held = tracker.hold(nowNanos, Instant.now());
        stillFrames.incrementAndGet();
        if (streamWanted) {
            long d0 = System.nanoTime();
            Mat img = decode(frame, decoder);
            if (img == null) {
                return;
            }
            try {
                metrics.stage("decode.full").record(System.nanoTime() - d0, TimeUnit.NANOSECONDS);
                List<Annotator.Label> labels = new ArrayList<>(held.size());
                for (Track t : held) {
                    labels.add(new Annotator.Label(t.box(), t.label()));
                }
                show(img, labels, List.of(), true, false, encoder);
            } finally {
                img.release();
            }
        }
        analysed.incrementAndGet();
        metrics.frameLatency(System.nanoTime() - frame.arrivedNanos());
    }

    /** A view too poor to embed: the face stays tracked (and drawn), the vote waits for a better one. */
    private void skipped(Track t, String reason) {
        t.poorView();
        metrics.facesSkipped(reason).increment();
    }

    private Mat decode(Frame frame, ImageDecoder decoder) {
        try {
            return decoder.decode(frame.jpeg());
        } catch (ImageDecodeException e) {
            decodeFailed(frame, e);
            return null;
        }
    }

    private void decodeFailed(Frame frame, ImageDecodeException e) {
        decodeErrors.incrementAndGet();
        lastDecodeError = "frame " + frame.seq() + ": " + e.getMessage();
        log.debug("camera {}: {}", camera.id(), lastDecodeError);
    }

    private void show(Mat img, List<Annotator.Label> labels, List<Rect> motionRegions, boolean streamWanted, boolean mosaicWanted,
                      JpegEncoder encoder) {
        long a0 = System.nanoTime();
        Annotator.motion(img, motionRegions);
        Annotator.draw(img, labels);
        if (mosaicWanted) {
            tile.update(img);
        }
        long a1 = System.nanoTime();
        metrics.stage("annotate").record(a1 - a0, TimeUnit.NANOSECONDS);
        if (streamWanted) {
            output.publish(encoder.encode(img));
            metrics.stage("encode").record(System.nanoTime() - a1, TimeUnit.NANOSECONDS);
        }
    }

    /** Encodes what the event history keeps of a decided track; runs only on decisions. */
    private TrackOutcome.Decided decidedOutcome(Track t, NameVote.Decision d, Detection det, FaceQuality q, Embedding emb, AlignedFace face,
                                                Mat frame, Instant now, boolean ignored) {
        DecisionPictures.Pictures p = pictures.of(face, det.box(), d.name(), frame);
        return new TrackOutcome.Decided(camera.id(), t.id(), d.person().map(x -> x.id()).orElse(null), d.name(), d.similarity(), det.box(),
                t.firstSeenAt(), now, emb.modelId(), t.meanEmbedding(), p.crop(), p.thumbnail(), p.snapshot(), t.eventId(), q, ignored);
    }

    /** Changes whenever the tile does (see {@link io.camserver.output.Mosaic.Tile}). */
    long tileVersion() {
        return tile.version();
    }

    /** A copy of the latest tile (caller releases), or null. */
    Mat copyTile() {
        return tile.copy();
    }

    void close() {
        closed = true;
        output.close();
        tile.close();
        metrics.removeCamera(camera.id());
    }
}
