package io.camserver.app;

import io.camserver.analysis.AnalysisService;
import io.camserver.comms.Integrations;
import io.camserver.comms.MqttBridge;
import io.camserver.events.TrackOutcome;
import io.camserver.events.EventBus;
import io.camserver.events.EventRecorder;
import io.camserver.gallery.GalleryService;
import io.camserver.mdns.MdnsAnnouncer;
import io.camserver.cluster.ClusterCoordinator;
import io.camserver.cluster.RemoteCameras;
import io.camserver.store.ClusterStore;
import java.util.List;
import java.net.InetAddress;
import io.camserver.store.Database;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import io.camserver.store.PrivateFiles;
import io.camserver.store.SessionStore;
import io.camserver.web.AdminCredential;
import io.camserver.web.Auth;
import io.camserver.web.PeopleServices;
import java.nio.file.Path;
import java.util.Map;
import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.LiveGallery;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraCatalog;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.Camera;
import io.camserver.store.CameraStore;
import io.camserver.store.CameraLabelStore;
import io.camserver.ingest.CameraNames;
import io.camserver.output.Broadcaster;
import io.camserver.output.MosaicComposer;
import io.camserver.metrics.Metrics;
import io.camserver.models.ModelStore;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.OpenCvRuntime;
import io.camserver.vision.opencv.VisionModels;
import io.camserver.web.LiveServices;
import io.camserver.web.RequestGuard;
import io.camserver.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final Database db;
    private final EventRecorder recorder;
    private final GalleryService galleryService;
    private final FaceAnalyzer stillAnalyzer;
    private final MdnsAnnouncer mdns;
    private final ClusterCoordinator cluster;
    private final Integrations integrations;
    private final RemoteCameras remote;
    private final AtomicBoolean ready;
    private final MosaicComposer mosaic;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private CamServer(AnalysisService analysis, CameraRegistry registry, EventBus events, Metrics metrics, LiveGallery gallery,
                      Thread expiry, WebServer web, Database db, EventRecorder recorder, GalleryService galleryService,
                      FaceAnalyzer stillAnalyzer, MdnsAnnouncer mdns, ClusterCoordinator cluster, Integrations integrations,
                      RemoteCameras remote, MosaicComposer mosaic, AtomicBoolean ready) {
        this.integrations = integrations;
        this.mosaic = mosaic;
        this.ready = ready;
        this.remote = remote;
        this.mdns = mdns;
        this.cluster = cluster;
        this.db = db;
        this.recorder = recorder;
        this.galleryService = galleryService;
        this.stillAnalyzer = stillAnalyzer;
        this.analysis = analysis;
        this.registry = registry;
        this.events = events;
        this.metrics = metrics;
        this.gallery = gallery;
        this.expiry = expiry;
        this.web = web;
    }

    static CamServer start(ServerConfig cfg, Map<String, String> env, Consumer<String> say) {
        // 1. Natives and models: fail fast, before any port opens, if a model is missing.
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

        // 2. Storage, and the gallery it holds. Photos are enrolled with both BlazeFace models
        //    and the flip pass (quality over speed); cameras match against the live snapshot.
        Database db = cfg.storage().url().isPresent()
                ? Database.postgres(cfg.storage().url().get(), cfg.storage().user(), cfg.storage().password())
                : Database.sqlite(cfg.server().dataDir());
        PeopleStore people = new PeopleStore(db);
        EventStore eventStore = new EventStore(db);
        VisionModels still = new VisionModels(store, DetectorConfig.stillDefaults(), cfg.vision().embedder());
        FaceAnalyzer stillAnalyzer = new FaceAnalyzer(still.newDetector(), still.aligner(), still.newEmbedder(true));
        LiveGallery gallery = new LiveGallery(EmbeddingIndex.builder(live.embedderModelId(), cfg.vision().match()).build());
        GalleryService galleryService = new GalleryService(people, eventStore, stillAnalyzer, gallery, cfg.vision().match(),
                new ImageDecoder(cfg.uploads()));
        int reembedded = galleryService.reembedStale();
        if (reembedded > 0) {
            say.accept("gallery: re-embedded " + reembedded + " samples with " + live.embedderModelId());
        }
        if (cfg.server().galleryDir().isPresent() && people.list().isEmpty()) {
            // Seeding only: once people exist in the database, the folder is not read again
            // (it would duplicate every sample at each start).
            try {
                FolderImport.Report r = galleryService.importFolder(cfg.server().galleryDir().get());
                r.rejected().forEach(x -> say.accept("gallery: " + x.file() + ": skipped: " + x.reason()));
                say.accept("gallery: " + r.enrolled().size() + " samples of " + r.people() + " people from " + cfg.server().galleryDir().get());
            } catch (IOException e) {
                throw new UsageException("gallery.dir: " + e.getMessage());
            }
        }
        galleryService.rebuild();
        AdminCredential admin = AdminCredential.resolve(env, cfg.server().dataDir(), say);

        // 3. Events, metrics, analysis workers.
        EventBus events = new EventBus();
        Metrics metrics = new Metrics();
        // Camera frames: JPEG only, and no bigger than ingest.maxPixels, checked from the header.
        ImageDecoder frameDecoder = ImageDecoder.jpegOnly(new ImageLimits(cfg.ingest().limits().maxPartBytes(), cfg.ingest().maxPixels()));
        // What /video_feed shows; the workers keep tiles only while someone watches it.
        Broadcaster mosaicOutput = new Broadcaster("mosaic");
        AnalysisService analysis = new AnalysisService(live, gallery, cfg.analysis(), frameDecoder, events, metrics, mosaicOutput::wanted);
        EventRecorder recorder = new EventRecorder(eventStore, live.embedderModelId(), cfg.events().clusterThreshold(), cfg.events().maxAge(),
                cfg.events().maxBytes());
        metrics.gauge("camserver.events.written", "sightings written to the history", recorder::written);
        metrics.gauge("camserver.events.dropped", "sightings dropped because the history fell behind", recorder::dropped);

        // 4. Cameras: registry (registered ESP32s) and the statically configured ones.
        CameraRegistry registry = new CameraRegistry(cfg.registration().policy(), cfg.ingest().limits(), cfg.ingest().backoffInitial(), cfg.ingest().backoffMax(),
                cfg.ingest().staleAfter(), events, metrics, analysis);

        // Friendly camera names, for every kind of camera, in the database.
        CameraNames names = new CameraNames(new CameraLabelStore(db));

        // 5. Integrations (MQTT, webhooks): they never block analysis and never decide readiness.
        Integrations integrations = Integrations.start(cfg.integrations().mqtt(), cfg.integrations().webhooks(), events, metrics,
                () -> registry.cameras().stream().map(c -> c.id()).toList(),
                () -> people.list().stream().map(p -> new MqttBridge.PersonRef(p.id(), p.name())).toList(), names::name);
        TrackOutcome.Sink toMqtt = integrations.outcomes();
        analysis.outcomes(o -> {
            recorder.accept(o);
            toMqtt.accept(o);
        });
        analysis.start();
        ClusterCoordinator cluster = null;
        // Other replicas' cameras, listed and relayed (scale-out); nothing on a single server.
        RemoteCameras remote = cfg.cluster().enabled() ? new RemoteCameras(cfg.cluster().name(), cfg.cluster().secret().orElseThrow(), cfg.ingest().limits())
                : RemoteCameras.none();
        CameraRegistry.Registrar registrar = registry::register;
        // Cameras added through the API: in the database, started here or by their owner replica.
        CameraCatalog catalog = new CameraCatalog(registry, new CameraStore(db), cfg.cameras().stream().map(ServerConfig.StaticCamera::id)
                .collect(java.util.stream.Collectors.toSet()), cfg.cluster().enabled(), cfg.ingest().ffmpeg(), cfg.ingest().limits());
        if (cfg.cluster().enabled()) {
            // Scale-out: cameras (registered and static) are split between replicas by the
            // coordinator, which also takes /register and expires registrations.
            List<ClusterCoordinator.StaticCamera> statics = cfg.cameras().stream()
                    .map(c -> new ClusterCoordinator.StaticCamera(c.id(), c.source(), Camera.Origin.STATIC))
                    .toList();
            String ffmpeg = cfg.ingest().ffmpeg();
            java.util.function.Supplier<List<ClusterCoordinator.StaticCamera>> managed = () -> catalog.entries().stream()
                    .map(e -> new ClusterCoordinator.StaticCamera(e.id(), e.source(ffmpeg), Camera.Origin.API))
                    .toList();
            cluster = new ClusterCoordinator(new ClusterStore(db), registry, remote, cfg.cluster().name(), cfg.cluster().heartbeat(),
                    cfg.cluster().deadAfter(), statics, managed);
            registrar = cluster;
        } else {
            for (ServerConfig.StaticCamera c : cfg.cameras()) {
                registry.addStatic(c.id(), c.source(), Camera.Origin.STATIC);
            }
            catalog.startAll();
        }
        // In scale-out the coordinator expires the shared registrations; stale streams are
        // always this replica's own to reconnect.
        boolean expireHere = !cfg.cluster().enabled();
        // In scale-out another replica may change the gallery: notice it within a second.
        // ... and camera names set through another replica.
        Runnable galleryRefresh = cfg.cluster().enabled() ? () -> {
            galleryService.refreshIfChanged();
            names.refresh();
        } : () -> { };
        Thread expiry = Thread.ofVirtual().name("camera-maintenance").start(() -> maintenanceLoop(registry, expireHere, galleryRefresh));
        metrics.gauge("camserver.cameras", "cameras known", registry::size);
        metrics.gauge("camserver.gallery.people", "people in the gallery", gallery::size);
        metrics.gauge("camserver.events.subscribers", "SSE subscribers", events::subscriberCount);
        metrics.gauge("camserver.events.subscriber.dropped", "live events a slow subscriber (SSE, webhooks) missed", events::dropped);
        metrics.gauge("camserver.auth.password.checks", "admin password checks (PBKDF2) since start", admin::checks);
        metrics.gauge("camserver.embedder.onnxruntime", "1 when the embedder runs on ONNX Runtime, 0 on OpenCV DNN",
                () -> backend.chosen() == io.camserver.vision.EmbedderConfig.Backend.ONNXRUNTIME ? 1 : 0);
        metrics.gauge("camserver.embedder.auto.onnxruntime.ms", "ONNX Runtime's time per face when auto chose (0: not timed)",
                backend::onnxRuntimeMs);
        metrics.gauge("camserver.embedder.auto.opencv.ms", "OpenCV DNN's time per face when auto chose (0: not timed)", backend::openCvMs);
        // The mosaic: this server's cameras, captioned with their state, then other replicas'.
        MosaicComposer mosaic = new MosaicComposer(mosaicOutput, List.of(() -> analysis.tiles(id -> caption(registry, names, id)), remote::tiles),
                cfg.analysis().mosaicInterval(), cfg.analysis().tileWidth(), cfg.analysis().jpegQuality(), metrics);

        // 6. HTTP last: nothing is served before everything behind it exists.
        AtomicBoolean ready = new AtomicBoolean();
        Auth auth = new Auth(admin, new SessionStore(db), cfg.web().liveViewOpen(), cfg.web().metricsPublic(), cfg.web().metricsToken(),
                cfg.cluster().enabled() ? cfg.cluster().secret() : Optional.empty());
        if (cfg.web().liveViewOpen()) {
            log.warn("auth.liveView is open: anyone who reaches port {} sees every camera and the names of the people in them",
                    cfg.server().port());
        }
        WebServer web = WebServer.start(cfg.server().host(), cfg.server().port(), new LiveServices(registry, registrar, analysis, events, metrics,
                cfg.registration().enabled(), ready::get, integrations, remote, mosaicOutput, catalog, names),
                new PeopleServices(galleryService, eventStore, auth, cfg.uploads().maxBytes(), cfg.events().maxAge(),
                        cfg.events().maxBytes(), () -> {
                            List<String> to = new java.util.ArrayList<>(integrations.destinations());
                            db.remoteHost().ifPresent(h -> to.add("PostgreSQL at " + h));
                            return to;
                        }, names), new RequestGuard(cfg.web().allowedHosts(), cfg.web().maxUploads(),
                cfg.cluster().enabled() ? cfg.cluster().secret() : Optional.empty()));
        if (cluster != null) {
            cluster.advertise(cfg.cluster().advertiseUrl().orElseGet(() -> advertiseUrl(cfg.server().host(), web.port())));
        }
        MdnsAnnouncer mdns = null;
        if (cfg.mdns().enabled()) {
            try {
                Optional<InetAddress> addr = cfg.mdns().address().isPresent()
                        ? Optional.of(InetAddress.getByName(cfg.mdns().address().get())) : Optional.empty();
                mdns = MdnsAnnouncer.start(cfg.mdns().hostname(), addr, web.port());
            } catch (IOException | IllegalArgumentException e) {
                // Cameras can still be configured statically or find the server by DNS: a
                // missing mDNS is worth a warning, not a refusal to start.
                log.warn("mdns: not announcing {}: {}", cfg.mdns().hostname(), e.getMessage());
            }
        }
        CamServer server = new CamServer(analysis, registry, events, metrics, gallery, expiry, web, db, recorder, galleryService, stillAnalyzer, mdns,
                cluster, integrations, remote, mosaic, ready);
        ready.set(true);
        log.info("camserver listening on port {} with {} analysis workers, {} people in the gallery", web.port(),
                cfg.analysis().workers(), gallery.size());
        return server;
    }

    /** Where peers reach this replica: the address it listens on, or (on all addresses) this host's, e.g. the pod IP. */
    private static String advertiseUrl(String host, int port) {
        String h = host;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                h = InetAddress.getLocalHost().getHostAddress();
            } catch (java.net.UnknownHostException e) {
                h = "127.0.0.1";
            }
        }
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    private static String caption(CameraRegistry registry, CameraNames names, String id) {
        String name = names.name(id);
        return registry.get(id).map(c -> {
            CameraPuller.Status st = c.puller().status();
            return name + "  " + st.state().id() + (st.state().id().equals("streaming") ? String.format(" %.0f fps", st.fps()) : "");
        }).orElse(name);
    }

    /** Once a second: reconnect stale streams, forget expired registrations, reload a gallery changed elsewhere. */
    private static void maintenanceLoop(CameraRegistry registry, boolean expire, Runnable galleryRefresh) {
        while (true) {
            try {
                Thread.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
            try {
                registry.checkStale();
                if (expire) {
                    registry.expire();
                }
                galleryRefresh.run();
            } catch (RuntimeException e) {
                log.warn("camera maintenance failed; retrying in 1 s", e);
            }
        }
    }

    public int port() {
        return web.port();
    }

    /** The HTTP routes as installed, with the level each declares. */
    public List<io.camserver.web.WebServer.Route> routes() {
        return web.routes();
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

    public GalleryService galleryService() {
        return galleryService;
    }

    public Optional<ClusterCoordinator> cluster() {
        return Optional.ofNullable(cluster);
    }

    public Database database() {
        return db;
    }

    public EventRecorder recorder() {
        return recorder;
    }

    public LiveGallery gallery() {
        return gallery;
    }

    /** Stops in reverse order: no new requests, then no new frames, then no analysis. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready.set(false);
        if (mdns != null) {
            mdns.close();
        }
        web.close();
        if (cluster != null) {
            cluster.close();
        }
        remote.close();
        expiry.interrupt();
        registry.close();
        mosaic.close();
        analysis.close();
        integrations.close(); // after analysis: the last decisions are out, then "offline"
        recorder.close();
        stillAnalyzer.close();
        db.close();
        log.info("camserver stopped");
    }
}
