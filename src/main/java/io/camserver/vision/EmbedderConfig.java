package io.camserver.vision;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Face embedder settings.
 *
 * @param kind  which embedder family; fixes the input normalisation
 * @param model a model file the user supplies; required for SFace, optional for the default
 * @param flip  also embed the mirrored face and average the two (test-time augmentation: steadier
 *              vectors across head turns for the cost of a second inference)
 */
public record EmbedderConfig(Kind kind, Optional<Path> model, boolean flip) {

    public enum Kind {
        /** faceplugin {@code fr_feature.onnx}: RGB, (x - 127.5) / 127.5; the default. */
        FR_FEATURE("fr-feature", 1 / 127.5, 127.5, 0.40f),
        /**
         * OpenCV Zoo SFace ({@code face_recognition_sface_2021dec.onnx}): RGB, raw 0..255;
         * 0.363 is the cosine threshold OpenCV documents for it.
         */
        SFACE("sface", 1.0, 0.0, 0.363f);

        private final String id;
        private final double scale;
        private final double mean;
        private final float defaultThreshold;

        Kind(String id, double scale, double mean, float defaultThreshold) {
            this.id = id;
            this.scale = scale;
            this.mean = mean;
            this.defaultThreshold = defaultThreshold;
        }

        /**
         * Cosine similarity at which this model's vectors are taken to be the same person. For
         * fr_feature, 0.40 sits above the highest impostor pair seen (0.30 over 700 pairs) and
         * under nearly all genuine ones (median 0.67); see README "Recognition threshold".
         */
        public float defaultThreshold() {
            return defaultThreshold;
        }

        public String id() {
            return id;
        }

        public double scale() {
            return scale;
        }

        public double mean() {
            return mean;
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("embedder.kind must be one of fr-feature, sface (was " + s + ")");
        }
    }

    public static EmbedderConfig defaults() {
        return new EmbedderConfig(Kind.FR_FEATURE, Optional.empty(), true);
    }

    public EmbedderConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        if (kind == Kind.SFACE && model.isEmpty()) {
            throw new IllegalArgumentException("embedder.model is required for embedder.kind=sface "
                    + "(point it at face_recognition_sface_2021dec.onnx from the OpenCV Zoo)");
        }
    }
}
