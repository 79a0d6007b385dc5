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
 * Detector, embedder, match and model-cache settings for the commands that recognise faces in
 * photos ({@code identify}, {@code bench}): read from the one configuration ({@link Settings}:
 * defaults, file, environment, options), the same keys and variables as {@code serve}
 * ({@code detector.kind}, {@code CAMSERVER_DETECTOR_KIND}, ...). Their options are shortcuts
 * for those keys.
 */
record VisionOptions(Path modelsDir, DetectorConfig detector, EmbedderConfig embedder, MatchConfig match) {

    /** Command-line option -> setting key. */
    static final Map<String, String> OPTION_KEYS = Map.of("detector", "detector.kind", "detector-model", "detector.model", "embedder",
            "embedder.kind", "embedder-model", "embedder.model", "embedder-backend", "embedder.backend", "threshold", "match.threshold",
            "margin", "match.margin", "min-score", "detector.minScore");
    static final Set<String> VALUED = Set.of("models-dir", "detector", "detector-model", "embedder", "embedder-model", "embedder-backend",
            "threshold", "margin", "min-score", "config");
    static final Set<String> BOOLEANS = Set.of("no-flip");

    static String help() {
        return """
                  --models-dir DIR        model cache (models.dir, env CAMSERVER_MODELS_DIR; default ~/.cache/camserver/models)
                  --detector KIND         blazeface-live | blazeface-full | blazeface-short | blazeface-dual | yunet (detector.kind, env CAMSERVER_DETECTOR_KIND;
                                          default blazeface-live for cameras, blazeface-dual for photos)
                  --detector-model FILE   detector model file, required for yunet (detector.model, env CAMSERVER_DETECTOR_MODEL)
                  --embedder KIND         fr-feature | mobilefacenet | sface (embedder.kind, env CAMSERVER_EMBEDDER_KIND)
                  --embedder-model FILE   embedder model file, required for sface (embedder.model, env CAMSERVER_EMBEDDER_MODEL)
                  --embedder-backend B    onnxruntime | opencv (embedder.backend, env CAMSERVER_EMBEDDER_BACKEND)
                  --threshold T           cosine similarity needed to name a face (match.threshold, env CAMSERVER_MATCH_THRESHOLD)
                  --margin M              lead over the runner-up needed to name a face (match.margin, env CAMSERVER_MATCH_MARGIN)
                  --min-score S           detector confidence threshold (detector.minScore, env CAMSERVER_DETECTOR_MIN_SCORE)
                  --config FILE           a config file (the same as serve's)
                  --no-flip               embed without the mirrored second pass (faster, slightly less steady)
                """;
    }

    /**
     * @param stillImages whether inputs are single photos (dual BlazeFace unless detector.kind
     *                    was set anywhere) or live frames
     */
    static VisionOptions from(Args args, Map<String, String> env, boolean stillImages) {
        Settings s = ServeCommand.settings(args, env);
        try {
            ServerConfig.Vision v = ServerConfig.vision(s, stillImages, !args.flag("no-flip"));
            return new VisionOptions(Path.of(s.string("models.dir")), v.detector(), v.embedder(), v.match());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
