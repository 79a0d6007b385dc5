package io.camserver.app;

import io.camserver.store.PrivateFiles;
import io.camserver.models.ModelStore;
import io.camserver.vision.opencv.OpenCvRuntime;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Natives and models: fail fast, before any port opens, if a model is missing. */
record Vision(VisionModels live, VisionModels.BackendChoice backend, ModelStore store) {
    static Vision load(ServerConfig cfg, Consumer<String> say) {
        OpenCvRuntime.load();
        OpenCvRuntime.setThreads(1); // parallelism comes from the analysis workers
        try {
            PrivateFiles.directory(cfg.server().dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("server.dataDir " + cfg.server().dataDir().toAbsolutePath() + " cannot be created", e);
        }
        ModelStore store = new ModelStore(cfg.server().modelsDir(), true, say);
        VisionModels live = new VisionModels(store, cfg.vision().detector(), cfg.vision().embedder());
        VisionModels.BackendChoice backend = live.backend(); // embedder.backend auto: timed here, once
        say.accept("embedder backend: " + backend.describe());
        return new Vision(live, backend, store);
    }
}
