package io.camserver.app;

import io.camserver.analysis.AnalysisService;
import io.camserver.events.EventBus;
import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.LiveGallery;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraRegistry;
import io.camserver.metrics.Metrics;
import io.camserver.models.ModelStore;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.OpenCvRuntime;
import io.camserver.vision.opencv.VisionModels;
import io.camserver.web.LiveServices;
import io.camserver.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the live server: {@link #start} wires every part in order, and
 * {@link #close} undoes them in reverse. No container; what depends on what is read here.
 */
public final class CamServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CamServer.class);

    private final AnalysisService analysis;
    private final CameraRegistry registry;
    private final EventBus events;
    private final Metrics metrics;
    private final LiveGallery gallery;
    private final Thread expiry;
    private final WebServer web;
    private volatile boolean ready;

    private CamServer(AnalysisService analysis, CameraRegistry registry, EventBus events, Metrics metrics, LiveGallery gallery,
                      Thread expiry, WebServer web) {
        this.analysis = analysis;
        this.registry = registry;
        this.events = events;
        this.metrics = metrics;
        this.gallery = gallery;
        this.expiry = expiry;
        this.web = web;
    }

    static CamServer start(ServerConfig cfg, Consumer<String> say) {
        // 1. Natives and models: fail fast, before any port opens, if a model is missing.
        OpenCvRuntime.load();
        OpenCvRuntime.setThreads(1); // parallelism comes from the analysis workers
        try {
            Files.createDirectories(cfg.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("server.dataDir " + cfg.dataDir().toAbsolutePath() + " cannot be created", e);
        }
        ModelStore store = new ModelStore(cfg.modelsDir(), true, say);
        VisionModels live = new VisionModels(store, cfg.detector(), cfg.embedder());

        // 2. Gallery: photos enrolled with both BlazeFace models and the flip pass (quality over speed).
        EmbeddingIndex index = EmbeddingIndex.builder(live.embedderModelId(), cfg.match()).build();
        if (cfg.galleryDir().isPresent()) {
            index = importGallery(cfg, store, say);
        }
        LiveGallery gallery = new LiveGallery(index);

        // 3. Events, metrics, analysis workers.
        EventBus events = new EventBus();
        Metrics metrics = new Metrics();
        ImageDecoder frameDecoder = new ImageDecoder(new ImageLimits(cfg.ingest().maxPartBytes(), 16_000_000L));
        AtomicReference<CameraRegistry> registryRef = new AtomicReference<>();
        AnalysisService analysis = new AnalysisService(live, gallery, cfg.analysis(), frameDecoder, events, metrics,
                id -> caption(registryRef.get(), id));
        analysis.start();

        // 4. Cameras: registry (registered ESP32s) and the statically configured ones.
        CameraRegistry registry = new CameraRegistry(cfg.registration(), cfg.ingest(), cfg.backoffInitial(), cfg.backoffMax(),
                cfg.registrationTtl(), events, analysis);
        registryRef.set(registry);
        for (ServerConfig.StaticCamera c : cfg.cameras()) {
            registry.addStatic(c.id(), c.url(), c.kind(), c.interval());
        }
        Thread expiry = Thread.ofVirtual().name("registration-expiry").start(() -> expireLoop(registry));
        metrics.gauge("camserver.cameras", "cameras known", registry::size);
        metrics.gauge("camserver.gallery.people", "people in the gallery", gallery::size);
        metrics.gauge("camserver.events.subscribers", "SSE subscribers", events::subscriberCount);

        // 5. HTTP last: nothing is served before everything behind it exists.
        CamServer[] self = new CamServer[1];
        WebServer web = WebServer.start(cfg.host(), cfg.port(), new LiveServices(registry, analysis, events, metrics,
                cfg.registrationEnabled(), () -> self[0] != null && self[0].ready));
        self[0] = new CamServer(analysis, registry, events, metrics, gallery, expiry, web);
        self[0].ready = true;
        log.info("camserver listening on port {} with {} analysis workers, {} people in the gallery", web.port(),
                cfg.analysis().workers(), gallery.size());
        return self[0];
    }

    private static EmbeddingIndex importGallery(ServerConfig cfg, ModelStore store, Consumer<String> say) {
        VisionModels still = new VisionModels(store, DetectorConfig.stillDefaults(), cfg.embedder());
        try (FaceAnalyzer a = new FaceAnalyzer(still.newDetector(), still.aligner(), still.newEmbedder(true))) {
            FolderImport.Report r = new FolderImport(a, new ImageDecoder(cfg.imageLimits())).scan(cfg.galleryDir().get());
            r.rejected().forEach(x -> say.accept("gallery: " + x.file() + ": skipped: " + x.reason()));
            say.accept("gallery: " + r.enrolled().size() + " samples of " + r.people() + " people from " + cfg.galleryDir().get());
            return FolderImport.toIndex(r, still.embedderModelId(), cfg.match());
        } catch (IOException e) {
            throw new UsageException("gallery.dir: " + e.getMessage());
        }
    }

    private static String caption(CameraRegistry registry, String id) {
        if (registry == null) {
            return id;
        }
        return registry.get(id).map(c -> {
            CameraPuller.Status st = c.puller().status();
            return id + "  " + st.state().id() + (st.state().id().equals("streaming") ? String.format(" %.0f fps", st.fps()) : "");
        }).orElse(id);
    }

    private static void expireLoop(CameraRegistry registry) {
        while (true) {
            try {
                Thread.sleep(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                return;
            }
            registry.expire();
        }
    }

    public int port() {
        return web.port();
    }

    public CameraRegistry registry() {
        return registry;
    }

    public AnalysisService analysis() {
        return analysis;
    }

    public EventBus events() {
        return events;
    }

    public Metrics metrics() {
        return metrics;
    }

    public LiveGallery gallery() {
        return gallery;
    }

    public Optional<Boolean> ready() {
        return Optional.of(ready);
    }

    /** Stops in reverse order: no new requests, then no new frames, then no analysis. */
    @Override
    public void close() {
        ready = false;
        web.close();
        expiry.interrupt();
        registry.close();
        analysis.close();
        log.info("camserver stopped");
    }
}
