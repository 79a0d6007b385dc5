package io.camserver.vision.opencv;

import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.vision.Detection;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.EmbedderModel;
import io.camserver.models.convert.ConvertedModels;
import io.camserver.vision.FaceAligner;
import io.camserver.vision.FaceDetector;
import io.camserver.vision.FaceEmbedder;
import io.camserver.vision.onnx.OrtFaceEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * Resolves model files once (pinned ones verified through the {@link ModelStore}, user-supplied
 * ones checked to exist) and creates detector and embedder instances from them. Instances are
 * not thread-safe; call {@link #newDetector()} / {@link #newEmbedder()} once per worker.
 */
public final class VisionModels {
    private final DetectorConfig detectorConfig;
    private final EmbedderConfig embedderConfig;
    private final Path detectorFile;
    private final Path closeUpFile;
    private final Path embedderFile;
    private final EmbedderModel embedderModel;
    private final String embedderModelId;

    public VisionModels(ModelStore store, DetectorConfig detector, EmbedderConfig embedder) {
        OpenCvRuntime.load();
        this.detectorConfig = Objects.requireNonNull(detector, "detector");
        this.embedderConfig = Objects.requireNonNull(embedder, "embedder");
        this.detectorFile = switch (detector.kind()) {
            case BLAZEFACE_FULL -> detector.model().map(p -> ModelStore.requireUserFile("detector.model", p))
                    .orElseGet(() -> store.require(ModelCatalog.BLAZEFACE_FULL));
            case BLAZEFACE_SHORT -> detector.model().map(p -> ModelStore.requireUserFile("detector.model", p))
                    .orElseGet(() -> store.require(ModelCatalog.BLAZEFACE_SHORT));
            case BLAZEFACE_DUAL, BLAZEFACE_LIVE -> store.require(ModelCatalog.BLAZEFACE_FULL);
            case YUNET -> ModelStore.requireUserFile("detector.model", detector.model().orElseThrow());
        };
        this.closeUpFile = detector.kind() == DetectorConfig.Kind.BLAZEFACE_DUAL || detector.kind() == DetectorConfig.Kind.BLAZEFACE_LIVE
                ? store.require(ModelCatalog.BLAZEFACE_SHORT) : null;
        this.embedderFile = switch (embedder.kind()) {
            case FR_FEATURE -> embedder.model().map(p -> ModelStore.requireUserFile("embedder.model", p))
                    .orElseGet(() -> store.require(ModelCatalog.FR_FEATURE));
            case SFACE -> ModelStore.requireUserFile("embedder.model", embedder.model().orElseThrow());
            case MOBILEFACENET -> embedder.model().map(p -> ModelStore.requireUserFile("embedder.model", p))
                    .orElseGet(() -> store.require(ModelCatalog.MOBILEFACENET));
            case DLIB -> {
                if (embedder.model().isPresent()) {
                    throw new IllegalArgumentException("embedder.model is not taken for embedder.kind=dlib (its weights are pinned)");
                }
                store.require(ModelCatalog.DLIB_RESNET_MANIFEST);
                yield store.require(ModelCatalog.DLIB_RESNET);
            }
        };
        this.embedderModel = switch (embedder.kind()) {
            case MOBILEFACENET -> EmbedderModel.converted(embedderFile, convert(embedderFile));
            case DLIB -> EmbedderModel.converted(embedderFile, convertDlib(store.require(ModelCatalog.DLIB_RESNET_MANIFEST), embedderFile));
            case FR_FEATURE, SFACE -> EmbedderModel.file(embedderFile);
        };
        // The id pins the exact weights: a retrained file with the same name gets a new id, so
        // the gallery re-embeds instead of mixing vectors from two different spaces. The flip
        // pass is not part of it: a flip-averaged vector is a steadier estimate in the same space.
        this.embedderModelId = embedder.kind().id() + "@" + sha256(embedderFile).substring(0, 12);
        this.choice = new BackendHolder();
    }

    /** Another detector with this one's embedder: the same network, id and backend choice (timed once for both). */
    private VisionModels(VisionModels embedderFrom, Path detectorFile, Path closeUpFile, DetectorConfig detector) {
        this.detectorConfig = Objects.requireNonNull(detector, "detector");
        this.embedderConfig = embedderFrom.embedderConfig;
        this.detectorFile = detectorFile;
        this.closeUpFile = closeUpFile;
        this.embedderFile = embedderFrom.embedderFile;
        this.embedderModel = embedderFrom.embedderModel;
        this.embedderModelId = embedderFrom.embedderModelId;
        this.choice = embedderFrom.choice;
    }

    /**
     * The same embedder behind BlazeFace with {@code detector}'s settings (the still-photo
     * analyzer beside the live one). The detector kind must be one of BlazeFace's.
     */
    public VisionModels withDetector(ModelStore store, DetectorConfig detector) {
        return switch (detector.kind()) {
            case BLAZEFACE_FULL -> new VisionModels(this, store.require(ModelCatalog.BLAZEFACE_FULL), null, detector);
            case BLAZEFACE_SHORT -> new VisionModels(this, store.require(ModelCatalog.BLAZEFACE_SHORT), null, detector);
            case BLAZEFACE_DUAL, BLAZEFACE_LIVE -> new VisionModels(this, store.require(ModelCatalog.BLAZEFACE_FULL),
                    store.require(ModelCatalog.BLAZEFACE_SHORT), detector);
            case YUNET -> throw new IllegalArgumentException("withDetector takes a BlazeFace detector, not " + detector.kind());
        };
    }

    /** The converted network, from the cache beside the models when an intact conversion is there. */
    private static byte[] convert(Path tflite) {
        try {
            return ConvertedModels.onnx(tflite);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read embedder model " + tflite + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot convert embedder model " + tflite + " to ONNX: " + e.getMessage(), e);
        }
    }

    private static byte[] convertDlib(Path manifest, Path weights) {
        try {
            return ConvertedModels.dlibResnet(manifest, weights);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read embedder weights " + weights + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot build dlib's ResNet from " + weights + ": " + e.getMessage(), e);
        }
    }

    public DetectorConfig detectorConfig() {
        return detectorConfig;
    }

    public EmbedderConfig embedderConfig() {
        return embedderConfig;
    }

    public String embedderModelId() {
        return embedderModelId;
    }

    public FaceDetector newDetector() {
        return switch (detectorConfig.kind()) {
            case BLAZEFACE_FULL -> BlazeFaceDetector.fullRange(detectorFile, detectorConfig);
            case BLAZEFACE_SHORT -> BlazeFaceDetector.shortRange(detectorFile, detectorConfig);
            case BLAZEFACE_DUAL -> new MergedDetector("blazeface-dual", List.of(
                    BlazeFaceDetector.fullRange(detectorFile, detectorConfig),
                    BlazeFaceDetector.shortRange(closeUpFile, detectorConfig)), detectorConfig.nmsIou(), detectorConfig.maxFaces(), false);
            case BLAZEFACE_LIVE -> new MergedDetector("blazeface-live", List.of(
                    BlazeFaceDetector.fullRange(detectorFile, detectorConfig),
                    BlazeFaceDetector.shortRange(closeUpFile, detectorConfig)), detectorConfig.nmsIou(), detectorConfig.maxFaces(), true);
            case YUNET -> new YuNetDetector(detectorFile, detectorConfig);
        };
    }

    public FaceEmbedder newEmbedder() {
        return newEmbedder(embedderConfig.flip());
    }

    /** An embedder with or without the flip pass (same vector space, so both may feed one gallery). */
    public FaceEmbedder newEmbedder(boolean flip) {
        return newEmbedder(backend().chosen(), flip);
    }

    private FaceEmbedder newEmbedder(EmbedderConfig.Backend b, boolean flip) {
        return switch (b) {
            case ONNXRUNTIME -> new OrtFaceEmbedder(embedderModel, embedderConfig.kind(), flip, embedderModelId,
                    embedderConfig.device() == EmbedderConfig.Device.CUDA);
            case OPENCV -> new OnnxFaceEmbedder(embedderModel, embedderConfig.kind(), flip, embedderModelId);
            case AUTO -> throw new IllegalStateException("auto is resolved to a backend before an embedder is made");
        };
    }

    /**
     * The embedder backend in use and why: the configured one, or for {@code auto} the faster of
     * the two as timed here (milliseconds per face; 0 when not timed).
     */
    public record BackendChoice(EmbedderConfig.Backend chosen, boolean timed, double onnxRuntimeMs, double openCvMs) {
        public String describe() {
            return timed ? String.format(java.util.Locale.ROOT, "%s (auto: ONNX Runtime %.1f ms, OpenCV DNN %.1f ms per face on this CPU)",
                    chosen.id(), onnxRuntimeMs, openCvMs) : chosen.id() + " (configured)";
        }
    }

    /** The backend choice, made at most once and shared by the models made {@link #withDetector} from these. */
    private static final class BackendHolder {
        private BackendChoice chosen;
    }

    private final BackendHolder choice;

    public BackendChoice backend() {
        if (embedderConfig.device() == EmbedderConfig.Device.CUDA) {
            return new BackendChoice(EmbedderConfig.Backend.ONNXRUNTIME, false, 0, 0); // CUDA is an ONNX Runtime provider
        }
        if (embedderConfig.backend() != EmbedderConfig.Backend.AUTO) {
            return new BackendChoice(embedderConfig.backend(), false, 0, 0);
        }
        synchronized (choice) {
            if (choice.chosen == null) {
                choice.chosen = time();
            }
            return choice.chosen;
        }
    }

    /**
     * Times both backends on the same synthetic aligned faces (a few warm-up runs, then eight
     * each, single-threaded as the workers run them): about 0.3 s on a 2-core EPYC.
     */
    private BackendChoice time() {
        double ort;
        double ocv;
        Mat pixels = new Mat(io.camserver.vision.FaceTemplate.ARCFACE_SIDE, io.camserver.vision.FaceTemplate.ARCFACE_SIDE,
                org.opencv.core.CvType.CV_8UC3);
        org.opencv.core.Core.randu(pixels, 0, 255);
        Detection d = new Detection(new io.camserver.vision.Box(0, 0, 112, 112), 1, new io.camserver.vision.Landmarks(
                new float[io.camserver.vision.Landmarks.COUNT * 2]));
        try (io.camserver.vision.AlignedFace face = new io.camserver.vision.AlignedFace(pixels, d)) {
            ort = millisPerFace(EmbedderConfig.Backend.ONNXRUNTIME, face);
            ocv = millisPerFace(EmbedderConfig.Backend.OPENCV, face);
        }
        return new BackendChoice(ort <= ocv ? EmbedderConfig.Backend.ONNXRUNTIME : EmbedderConfig.Backend.OPENCV, true, ort, ocv);
    }

    private double millisPerFace(EmbedderConfig.Backend b, io.camserver.vision.AlignedFace face) {
        try (FaceEmbedder e = newEmbedder(b, false)) {
            for (int i = 0; i < 3; i++) {
                e.embed(face);
            }
            long t0 = System.nanoTime();
            int n = 8;
            for (int i = 0; i < n; i++) {
                e.embed(face);
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }
    }

    public FaceAligner aligner() {
        return new TemplateAligner();
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
