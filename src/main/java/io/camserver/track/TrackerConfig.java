package io.camserver.track;

import java.time.Duration;
import java.util.Objects;

/**
 * How faces are followed and named across frames.
 *
 * @param minIou        overlap that continues a track (with a centre-distance fallback)
 * @param maxAge        a track not seen for this long has ended
 * @param firstEmbeds   embed a new track on each of its first N analysed frames (a fast vote)
 * @param refresh       then embed again at most this often (a face can turn toward the camera)
 * @param votesToDecide agreeing votes needed before a name (or "unknown") is shown
 * @param maxEmbedsPerFrame bound on embeddings per frame, so a crowd cannot stall a camera
 */
public record TrackerConfig(float minIou, Duration maxAge, int firstEmbeds, Duration refresh, int votesToDecide, int maxEmbedsPerFrame) {
    public static final TrackerConfig DEFAULT = new TrackerConfig(0.3f, Duration.ofMillis(1500), 3, Duration.ofSeconds(1), 2, 4);

    public TrackerConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(refresh, "refresh");
        if (!(minIou > 0 && minIou < 1)) {
            throw new IllegalArgumentException("tracker.minIou must be in (0, 1) (was " + minIou + ")");
        }
        if (firstEmbeds < 1 || maxEmbedsPerFrame < 1) {
            throw new IllegalArgumentException("tracker.firstEmbeds and tracker.maxEmbedsPerFrame must be >= 1 (were "
                    + firstEmbeds + ", " + maxEmbedsPerFrame + ")");
        }
        if (votesToDecide < 1 || votesToDecide > NameVote.WINDOW) {
            // More votes than the window holds could never be reached: a name would never be decided.
            throw new IllegalArgumentException("tracker.votesToDecide must be in 1.." + NameVote.WINDOW + ", the vote window (was "
                    + votesToDecide + ")");
        }
    }
}
