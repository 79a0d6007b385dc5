package io.camserver.vision;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Face detector settings.
 *
 * @param kind             which detector (or pair of detectors)
 * @param model            a model file the user supplies; required for YuNet, optional for
 *                         single BlazeFace kinds (the pinned file from the model cache is used)
 * @param minScore         confidence threshold for the full-range and YuNet detectors (0..1);
 *                         MediaPipe's own default for full range is 0.6
 * @param closeUpMinScore  confidence threshold for the short-range (close-up) detector;
 *                         MediaPipe's own default is 0.5
 * @param nmsIou           overlap above which two detections are the same face (0..1)
 * @param minFaceSize      faces whose box is smaller than this many pixels are ignored
 * @param maxFaces         at most this many faces per frame, the most confident kept
 */
public record DetectorConfig(Kind kind, Optional<Path> model, float minScore, float closeUpMinScore, float nmsIou,
                             int minFaceSize, int maxFaces) {

    public enum Kind {
        /** MediaPipe BlazeFace full range (192x192 input, faces up to ~5 m): the live default. */
        BLAZEFACE_FULL("blazeface-full"),
        /** MediaPipe BlazeFace short range (128x128 input), for close-up cameras. */
        BLAZEFACE_SHORT("blazeface-short"),
        /**
         * Both BlazeFace models, merged: full range misses faces that fill the picture (passport
         * crops, a face right at the lens), short range misses small distant ones. Costs both
         * inferences (~11 ms here), so it is the default for still images, not live frames.
         */
        BLAZEFACE_DUAL("blazeface-dual"),
        /**
         * The live default: full range on every frame, short range as well on frames where full
         * range found no face or a face taller than a third of the frame (door cameras, someone
         * at the lens). Costs full range alone on frames with ordinary faces.
         */
        BLAZEFACE_LIVE("blazeface-live"),
        /** OpenCV Zoo YuNet ({@code face_detection_yunet_2023mar.onnx}), user-supplied. */
        YUNET("yunet");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("detector.kind must be one of blazeface-live, blazeface-full, "
                    + "blazeface-short, blazeface-dual, yunet (was " + s + ")");
        }
    }

    /** Live-frame defaults: full range with short range for close-ups, MediaPipe's thresholds. */
    public static DetectorConfig defaults() {
        return new DetectorConfig(Kind.BLAZEFACE_LIVE, Optional.empty(), 0.6f, 0.5f, 0.3f, 16, 64);
    }

    /** Still-image defaults (identify, enrollment, uploads): both BlazeFace models. */
    public static DetectorConfig stillDefaults() {
        return defaults().withKind(Kind.BLAZEFACE_DUAL, Optional.empty());
    }

    public DetectorConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        if (!(minScore > 0 && minScore < 1)) {
            throw new IllegalArgumentException("detector.minScore must be in (0, 1) (was " + minScore + ")");
        }
        if (!(closeUpMinScore > 0 && closeUpMinScore < 1)) {
            throw new IllegalArgumentException("detector.closeUpMinScore must be in (0, 1) (was " + closeUpMinScore + ")");
        }
        if (!(nmsIou > 0 && nmsIou < 1)) {
            throw new IllegalArgumentException("detector.nmsIou must be in (0, 1) (was " + nmsIou + ")");
        }
        if (minFaceSize < 8) {
            throw new IllegalArgumentException("detector.minFaceSize must be >= 8 (was " + minFaceSize + ")");
        }
        if (maxFaces < 1 || maxFaces > 1000) {
            throw new IllegalArgumentException("detector.maxFaces must be in 1..1000 (was " + maxFaces + ")");
        }
        if (kind == Kind.YUNET && model.isEmpty()) {
            throw new IllegalArgumentException("detector.model is required for detector.kind=yunet "
                    + "(point it at face_detection_yunet_2023mar.onnx from the OpenCV Zoo)");
        }
        if ((kind == Kind.BLAZEFACE_DUAL || kind == Kind.BLAZEFACE_LIVE) && model.isPresent()) {
            throw new IllegalArgumentException("detector.model cannot be set with detector.kind=" + kind.id() + ", "
                    + "which uses both pinned BlazeFace models");
        }
    }

    public DetectorConfig withKind(Kind k, Optional<Path> m) {
        return new DetectorConfig(k, m, minScore, closeUpMinScore, nmsIou, minFaceSize, maxFaces);
    }

    /** The threshold that applies to a single model of this kind. */
    public float scoreThreshold(boolean closeUpModel) {
        return closeUpModel ? closeUpMinScore : minScore;
    }
}
