package io.camserver.analysis;

import io.camserver.track.TrackerConfig;
import io.camserver.vision.FaceQuality;
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
 * @param motion      when the detector may be skipped (a still scene)
 * @param debug       draw motion regions in the annotated streams
 * @param quality     the views good enough to embed; poorer faces are tracked but not embedded
 */
public record AnalysisConfig(int workers, TrackerConfig tracker, int jpegQuality, int mosaicFps, int tileWidth, Motion motion,
                             boolean debug, FaceQuality.Limits quality) {
    /**
     * Sharpness measured on the 40 labelled crops as 240 px faces in a 640x480 frame: sharp
     * 193-3867, after a Gaussian blur of sigma 1.3 % of the face height 25-136, of 2.7 % 6-33, of
     * 4 % 4-17. 15 refuses only heavy blur; 32 px is where an aligned face is mostly upscaling;
     * beyond 45 degrees of yaw one eye is mostly hidden.
     */
    public static final FaceQuality.Limits DEFAULT_QUALITY = new FaceQuality.Limits(32, 15, 45);


    /**
     * Motion gating: the detector runs on frames where something moved, on a still scene at least
     * once per {@code tracker.refresh} while faces are tracked in it, and once per {@code recheck}
     * when nobody is.
     *
     * @param threshold grey levels a pixel must change by to count as changed
     * @param minArea   fraction of the picture that must change
     * @param recheck   how often a still scene with nobody tracked is run through the detector anyway
     */
    public record Motion(boolean enabled, double threshold, double minArea, Duration recheck) {
        public static final Motion DEFAULT = new Motion(true, 25, 0.002, Duration.ofSeconds(5));

        public Motion {
            Objects.requireNonNull(recheck, "recheck");
            if (!(threshold > 0 && threshold < 255)) {
                throw new IllegalArgumentException("motion.threshold must be in (0, 255) grey levels (was " + threshold + ")");
            }
            if (!(minArea > 0 && minArea < 1)) {
                throw new IllegalArgumentException("motion.minArea must be a fraction of the picture in (0, 1) (was " + minArea + ")");
            }
            if (recheck.isNegative() || recheck.isZero() || recheck.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("motion.recheck must be between 1 ms and 10 min (was " + recheck + ")");
            }
        }
    }

    public AnalysisConfig {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(motion, "motion");
        Objects.requireNonNull(quality, "quality");
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
        return new AnalysisConfig(Runtime.getRuntime().availableProcessors(), TrackerConfig.DEFAULT, 80, 10, 640, Motion.DEFAULT, false, DEFAULT_QUALITY);
    }

    public Duration mosaicInterval() {
        return Duration.ofMillis(1000 / mosaicFps);
    }
}
