package io.camserver.app;

import io.camserver.gallery.MatchConfig;
import io.camserver.models.ModelStore;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.EmbedderConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Detector, embedder, match and model-cache settings shared by every command that recognises
 * faces. Each has a command-line option and an environment variable; the option wins.
 */
record VisionOptions(Path modelsDir, DetectorConfig detector, EmbedderConfig embedder, MatchConfig match) {

    static final Set<String> VALUED = Set.of("models-dir", "detector", "detector-model", "embedder", "embedder-model", "embedder-backend",
            "threshold", "margin", "min-score");
    static final Set<String> BOOLEANS = Set.of("no-flip");

    static String help() {
        return """
                  --models-dir DIR        model cache (env CAMSERVER_MODELS; default ~/.cache/camserver/models)
                  --detector KIND         blazeface-full | blazeface-short | blazeface-dual | yunet (env CAMSERVER_DETECTOR)
                  --detector-model FILE   detector model file, required for yunet (env CAMSERVER_DETECTOR_MODEL)
                  --embedder KIND         fr-feature | sface (env CAMSERVER_EMBEDDER)
                  --embedder-model FILE   embedder model file, required for sface (env CAMSERVER_EMBEDDER_MODEL)
                  --embedder-backend B    onnxruntime | opencv (env CAMSERVER_EMBEDDER_BACKEND)
                  --threshold T           cosine similarity needed to name a face (env CAMSERVER_MATCH_THRESHOLD)
                  --margin M              lead over the runner-up needed to name a face (env CAMSERVER_MATCH_MARGIN)
                  --min-score S           detector confidence threshold (env CAMSERVER_DETECTOR_MIN_SCORE)
                  --no-flip               embed without the mirrored second pass (faster, slightly less steady)
                """;
    }

    /**
     * @param stillImages whether inputs are single photos (dual BlazeFace by default) or live
     *                    frames (full range by default)
     */
    static VisionOptions from(Args args, Map<String, String> env, boolean stillImages) {
        try {
            Path models = opt(args, env, "models-dir", "CAMSERVER_MODELS").map(Path::of).orElseGet(() -> ModelStore.defaultRoot(env));
            DetectorConfig base = stillImages ? DetectorConfig.stillDefaults() : DetectorConfig.defaults();
            DetectorConfig.Kind dk = opt(args, env, "detector", "CAMSERVER_DETECTOR").map(DetectorConfig.Kind::parse).orElse(base.kind());
            Optional<Path> dm = opt(args, env, "detector-model", "CAMSERVER_DETECTOR_MODEL").map(Path::of);
            if (dk == DetectorConfig.Kind.BLAZEFACE_DUAL && dm.isPresent()) {
                throw new UsageException("--detector-model needs --detector blazeface-full, blazeface-short or yunet");
            }
            float minScore = opt(args, env, "min-score", "CAMSERVER_DETECTOR_MIN_SCORE")
                    .map(v -> Args.parseFloat("--min-score", v)).orElse(base.minScore());
            DetectorConfig detector = new DetectorConfig(dk, dm, minScore, base.closeUpMinScore(), base.nmsIou(),
                    base.minFaceSize(), base.maxFaces());
            EmbedderConfig.Kind ek = opt(args, env, "embedder", "CAMSERVER_EMBEDDER").map(EmbedderConfig.Kind::parse)
                    .orElse(EmbedderConfig.Kind.FR_FEATURE);
            Optional<Path> em = opt(args, env, "embedder-model", "CAMSERVER_EMBEDDER_MODEL").map(Path::of);
            EmbedderConfig.Backend eb = opt(args, env, "embedder-backend", "CAMSERVER_EMBEDDER_BACKEND")
                    .map(EmbedderConfig.Backend::parse).orElse(EmbedderConfig.Backend.ONNXRUNTIME);
            EmbedderConfig embedder = new EmbedderConfig(ek, em, !args.flag("no-flip"), eb);
            float threshold = opt(args, env, "threshold", "CAMSERVER_MATCH_THRESHOLD")
                    .map(v -> Args.parseFloat("--threshold", v)).orElse(ek.defaultThreshold());
            float margin = opt(args, env, "margin", "CAMSERVER_MATCH_MARGIN")
                    .map(v -> Args.parseFloat("--margin", v)).orElse(0.05f);
            return new VisionOptions(models, detector, embedder, new MatchConfig(threshold, margin));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Optional<String> opt(Args args, Map<String, String> env, String option, String envName) {
        Optional<String> v = args.value(option);
        if (v.isPresent()) {
            return v;
        }
        String e = env.get(envName);
        return e == null || e.isBlank() ? Optional.empty() : Optional.of(e);
    }
}
