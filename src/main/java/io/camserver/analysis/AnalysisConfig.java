package io.camserver.analysis;

import io.camserver.track.TrackerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Live analysis settings.
 *
 * @param workers     analysis threads; each owns a detector and an embedder. Default: the
 *                    number of cores (inference is CPU-bound; more threads only contend)
 * @param tracker     tracking and naming
 * @param jpegQuality quality of the annotated output streams
 * @param mosaicFps   frame rate of {@code /video_feed}
 * @param tileWidth   width of a mosaic cell for one camera (halved per cell when several; height 3:4 of it)
 */
public record AnalysisConfig(int workers, TrackerConfig tracker, int jpegQuality, int mosaicFps, int tileWidth) {
    public AnalysisConfig {
        Objects.requireNonNull(tracker, "tracker");
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("analysis.workers must be in 1..64 (was " + workers + ")");
        }
        if (mosaicFps < 1 || mosaicFps > 30) {
            throw new IllegalArgumentException("output.mosaicFps must be in 1..30 (was " + mosaicFps + ")");
        }
        if (tileWidth < 160 || tileWidth > 1920) {
            throw new IllegalArgumentException("output.tileWidth must be in 160..1920 (was " + tileWidth + ")");
        }
    }

    public static AnalysisConfig defaults() {
        return new AnalysisConfig(Runtime.getRuntime().availableProcessors(), TrackerConfig.DEFAULT, 80, 10, 640);
    }

    public Duration mosaicInterval() {
        return Duration.ofMillis(1000 / mosaicFps);
    }
}
