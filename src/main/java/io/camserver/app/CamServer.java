package io.camserver.app;

import io.camserver.comms.PersonRef;
import io.camserver.analysis.AnalysisService;
import io.camserver.comms.Integrations;
import io.camserver.comms.MqttBridge;
import io.camserver.history.HistoryWriter;
import io.camserver.live.CameraStates;
import io.camserver.live.Dispatcher;
import io.camserver.vision.EmbedderConfig;
import java.util.ArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import io.camserver.gallery.GalleryService;
import io.camserver.mdns.MdnsAnnouncer;
import io.camserver.replicas.ReplicaCoordinator;
import io.camserver.replicas.RemoteCameras;
import java.util.List;
import java.net.InetAddress;
import io.camserver.store.Database;
import io.camserver.store.Journal;
import io.camserver.store.SightingFaces;
import io.camserver.history.FaceSearch;
import io.camserver.history.Relabeller;
import io.camserver.history.SightingIndex;
import io.camserver.store.SessionStore;
import io.camserver.web.AdminCredential;
import io.camserver.web.Auth;
import io.camserver.web.PeerCheck;
import io.camserver.web.PeopleServices;
import java.nio.file.Path;
import java.util.Map;
import io.camserver.gallery.LiveGallery;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.Camera;
import io.camserver.store.CameraLabelStore;
import io.camserver.ingest.CameraNames;
import io.camserver.output.Broadcaster;
import io.camserver.output.MosaicComposer;
import io.camserver.metrics.Metrics;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import io.camserver.web.LiveServices;
import io.camserver.web.RequestGuard;
import io.camserver.web.WebServer;
import java.io.IOException;
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
    private final Dispatcher dispatcher;
    private final Metrics metrics;
    private final LiveGallery gallery;
    private final Thread maintenance;
    private final WebServer web;
    private final Database db;
    private final HistoryWriter history;
    private final Relabeller relabeller;
    private final GalleryService galleryService;
    private final FaceAnalyzer stillAnalyzer;
    private final MdnsAnnouncer mdns;
    private final ReplicaCoordinator coordinator;
    private final Integrations integrations;
    private final RemoteCameras remote;
    private final AtomicBoolean ready;
    private final MosaicComposer mosaic;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CamServer(AnalysisService analysis, CameraRegistry registry, Dispatcher dispatcher, Metrics metrics, LiveGallery gallery,
                      Thread maintenance, WebServer web, Database db, HistoryWriter history, GalleryService galleryService,
                      FaceAnalyzer stillAnalyzer, MdnsAnnouncer mdns, ReplicaCoordinator coordinator, Integrations integrations,
                      RemoteCameras remote, MosaicComposer mosaic, AtomicBoolean ready, Relabeller relabeller) {
        this.integrations = integrations;
        this.relabeller = relabeller;
        this.mosaic = mosaic;
        this.ready = ready;
        this.remote = remote;
        this.mdns = mdns;
        this.coordinator = coordinator;
        this.db = db;
        this.history = history;
        this.galleryService = galleryService;
        this.stillAnalyzer = stillAnalyzer;
        this.analysis = analysis;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.gallery = gallery;
        this.maintenance = maintenance;
        this.web = web;
    }

    /**
     * Starts a server from settings given by key ({@code server.port}, ...) over the defaults,
     * after the YAML file {@code configFile} when there is one: what a test or an embedding
     * program uses instead of the command line. A key that does not exist is refused.
     */
    public static CamServer startWith(Map<String, String> settings, Path configFile, Map<String, String> env, Consumer<String> say) {
        Settings s = new Settings(ServerConfig.defaults(env));
        if (configFile != null) {
            s.loadYaml(configFile);
        }
        settings.forEach((k, v) -> s.set(k, v, "startWith"));
        return start(ServerConfig.from(s), env, say);
    }

    static CamServer start(ServerConfig cfg, Map<String, String> env, Consumer<String> say) {
        Vision vision = Vision.load(cfg, say);
        Database db = openDatabase(cfg);
        Library library = Library.open(cfg, db, vision, say);
        SessionStore sessions = new SessionStore(db);
        AdminCredential admin = admin(cfg, env, say, sessions);
        Metrics metrics = new Metrics();

        // Every decision and camera state goes through the dispatcher; its outputs subscribe below.
        Dispatcher dispatcher = new Dispatcher();
        // While the database is away, sightings wait on local disk (at most 100,000 or 256 MiB).
        Journal historyJournal = new Journal(cfg.server().dataDir().resolve("journal").resolve("history"), 100_000, 256L << 20);
        // Every sighting's face in memory (search by face, naming past sightings), loaded in the background.
        String model = vision.live().embedderModelId();
        SightingFaces sightingFaces = new SightingFaces(db);
        SightingIndex sightings = new SightingIndex();
        Runnable reindex = () -> Thread.ofVirtual().name("sighting-index").start(() -> {
            try {
                sightings.load(sightingFaces, model);
                log.info("history: {} sightings' faces indexed for search", sightings.size());
            } catch (RuntimeException e) {
                log.warn("history: faces not indexed for search: {}", e.getMessage());
            }
        });
        reindex.run();
        Relabeller relabeller = new Relabeller(sightings, sightingFaces, library.people(), library.gallery(), model, cfg.events().rescanWindow());
        if (!cfg.events().rescanWindow().isZero()) {
            library.service().onSamplesAdded(relabeller::request);
        }
        HistoryWriter history = new HistoryWriter(library.history(), historyJournal, sightings, reindex, model, cfg.events().visitorThreshold(),
                cfg.events().maxAge(), cfg.events().maxBytes());
        dispatcher.subscribe(history);
        Broadcaster mosaicOutput = new Broadcaster("mosaic"); // what /video_feed shows
        AnalysisService analysis = new AnalysisService(vision.live(), library.gallery(), cfg.analysis(),
                // Camera frames: JPEG only, and no bigger than ingest.maxPixels, checked from the header.
                ImageDecoder.jpegOnly(new ImageLimits(cfg.ingest().limits().maxPartBytes(), cfg.ingest().maxPixels())),
                dispatcher, metrics, mosaicOutput::wanted);
        CameraRegistry registry = new CameraRegistry(cfg.registration().policy(), cfg.ingest().limits(), cfg.ingest().backoffInitial(),
                cfg.ingest().backoffMax(), cfg.ingest().staleAfter(), metrics,
                List.of(analysis, new CameraStates(dispatcher)));
        CameraNames names = new CameraNames(new CameraLabelStore(db)); // friendly names, every kind of camera
        // MQTT and webhooks never block analysis and never decide readiness.
        Integrations integrations = Integrations.start(cfg.integrations().mqtt(), cfg.integrations().webhooks(), metrics,
                () -> registry.cameras().stream().map(Camera::id).toList(),
                () -> library.people().list().stream().map(p -> new PersonRef(p.id(), p.name())).toList(), names::name,
                cfg.server().dataDir().resolve("journal"));
        dispatcher.subscribe(integrations);
        analysis.start();

        Cameras cameras = Cameras.start(cfg, db, registry);
        Thread maintenance = Thread.ofVirtual().name("camera-maintenance").start(() -> maintenanceLoop(registry,
                !cfg.replicas().enabled(), // in scale-out the coordinator expires the shared registrations
                // In scale-out another replica may change the gallery or a camera's name: notice it within a second.
                cfg.replicas().enabled() ? () -> {
                    library.service().refreshIfChanged();
                    names.refresh();
                } : () -> { }));
        gauges(metrics, registry, library, dispatcher, history, admin, vision.backend());
        // The mosaic: this server's cameras, captioned with their state, then other replicas'.
        MosaicComposer mosaic = new MosaicComposer(mosaicOutput, List.of(() -> analysis.tiles(id -> caption(registry, names, id)),
                cameras.remote()::tiles), cfg.analysis().mosaicInterval(), cfg.analysis().tileWidth(), cfg.analysis().jpegQuality(), metrics);

        // HTTP last: nothing is served before everything behind it exists.
        AtomicBoolean ready = new AtomicBoolean();
        WebServer web = startWeb(cfg, db, sessions, library, admin, new LiveServices(registry, cameras.registrar(), analysis, dispatcher, metrics,
                cfg.registration().enabled(), ready::get, history::degraded, integrations, cameras.remote(), mosaicOutput, cameras.catalog(), names), integrations, names,
                a -> cameras.coordinator().map(c -> c.isReplica(a)).orElse(false), new FaceSearch(sightings, library.history()));
        cameras.coordinator().ifPresent(c -> c.advertise(cfg.replicas().advertiseUrl().orElseGet(() -> advertiseUrl(cfg.server().host(), web.port()))));
        MdnsAnnouncer mdns = announce(cfg, web.port());

        CamServer server = new CamServer(analysis, registry, dispatcher, metrics, library.gallery(), maintenance, web, db, history,
                library.service(), library.stillAnalyzer(), mdns, cameras.coordinator().orElse(null), integrations, cameras.remote(), mosaic, ready,
                relabeller);
        ready.set(true);
        log.info("camserver listening on port {} with {} analysis workers, {} people in the gallery", web.port(),
                cfg.analysis().workers(), library.gallery().size());
        return server;
    }

    /**
     * The admin password, and the sessions it allows: when it is not the password the database
     * last knew (changed in the environment, a Secret or the data folder), every session made with
     * the old one ends, on every replica.
     */
    private static AdminCredential admin(ServerConfig cfg, Map<String, String> env, Consumer<String> say, SessionStore sessions) {
        Optional<String> known = sessions.adminVerifier();
        AdminCredential admin = AdminCredential.resolve(env, cfg.server().dataDir(), say, known);
        if (admin.changed()) {
            log.warn("the admin password changed since the last start: {} sessions ended", sessions.deleteAll());
        }
        if (known.isEmpty() || admin.changed()) {
            sessions.saveAdminVerifier(admin.verifier(), System.currentTimeMillis());
        }
        return admin;
    }

    private static Database openDatabase(ServerConfig cfg) {
        return cfg.storage().url().isPresent()
                ? Database.postgres(cfg.storage().url().get(), cfg.storage().user(), cfg.storage().password())
                : Database.sqlite(cfg.server().dataDir());
    }

    private static void gauges(Metrics metrics, CameraRegistry registry, Library library, Dispatcher dispatcher, HistoryWriter history,
                               AdminCredential admin, VisionModels.BackendChoice backend) {
        metrics.gauge("camserver.events.written", "sightings written to the history", history::written);
        metrics.gauge("camserver.events.dropped", "sightings dropped because the history fell behind or its journal was full", history::dropped);
        metrics.gauge("camserver.events.journaled", "sightings waiting in the local journal for the database", history::journaled);
        metrics.gauge("camserver.events.refused", "sightings the database refused (not retried)", history::refused);
        metrics.gauge("camserver.cameras", "cameras known", registry::size);
        metrics.gauge("camserver.gallery.people", "people in the gallery", library.gallery()::size);
        metrics.gauge("camserver.events.subscribers", "SSE subscribers", dispatcher::queueCount);
        metrics.gauge("camserver.events.subscriber.dropped", "live events a slow SSE viewer missed", dispatcher::queueDropped);
        metrics.gauge("camserver.auth.password.checks", "admin password checks (PBKDF2) since start", admin::checks);
        metrics.gauge("camserver.embedder.onnxruntime", "1 when the embedder runs on ONNX Runtime, 0 on OpenCV DNN",
                () -> backend.chosen() == EmbedderConfig.Backend.ONNXRUNTIME ? 1 : 0);
        metrics.gauge("camserver.embedder.auto.onnxruntime.ms", "ONNX Runtime's time per face when auto chose (0: not timed)",
                backend::onnxRuntimeMs);
        metrics.gauge("camserver.embedder.auto.opencv.ms", "OpenCV DNN's time per face when auto chose (0: not timed)", backend::openCvMs);
    }

    private static WebServer startWeb(ServerConfig cfg, Database db, SessionStore sessions, Library library, AdminCredential admin, LiveServices live,
                                      Integrations integrations, CameraNames names, java.util.function.Predicate<java.net.InetAddress> replicaAddress,
                                      FaceSearch faceSearch) {
        PeerCheck peers = cfg.replicas().enabled() ? new PeerCheck(cfg.replicas().secret(), replicaAddress) : PeerCheck.none();
        Auth auth = new Auth(admin, sessions, cfg.web().liveViewOpen(), cfg.web().metricsPublic(), cfg.web().metricsToken(), peers,
                cfg.registration().policy().trustedProxies());
        if (cfg.web().liveViewOpen()) {
            log.warn("auth.liveView is open: anyone who reaches port {} sees every camera and the names of the people in them",
                    cfg.server().port());
        }
        Supplier<List<String>> destinations = () -> {
            List<String> to = new ArrayList<>(integrations.destinations());
            db.remoteHost().ifPresent(h -> to.add("PostgreSQL at " + h));
            return to;
        };
        return WebServer.start(cfg.server().host(), cfg.server().port(), live,
                new PeopleServices(library.service(), library.history(), auth, cfg.uploads().maxBytes(), cfg.events().maxAge(),
                        cfg.events().maxBytes(), destinations, names,
                        Stream.concat(cfg.server().galleryDir().stream(), Stream.of(cfg.server().dataDir())).toList(), faceSearch,
                        // A search is read by a person, who tells true matches from the rest, and the photo they drop
                        // comes from another camera and light than the sightings: show faces somewhat under the
                        // naming threshold too, best first.
                        Math.max(0.1f, cfg.vision().match().threshold() - 0.15f), cfg.events().visitGap()),
                new RequestGuard(cfg.web().allowedHosts(), cfg.web().maxUploads(), peers));
    }

    /** mDNS, so cameras find {@code microshift-cam-reg.local}; null when off or when it cannot start. */
    private static MdnsAnnouncer announce(ServerConfig cfg, int port) {
        if (!cfg.mdns().enabled()) {
            return null;
        }
        try {
            Optional<InetAddress> addr = cfg.mdns().address().isPresent()
                    ? Optional.of(InetAddress.getByName(cfg.mdns().address().get())) : Optional.empty();
            return MdnsAnnouncer.start(cfg.mdns().hostname(), addr, port);
        } catch (IOException | IllegalArgumentException e) {
            // Cameras can still be configured statically or find the server by DNS: a
            // missing mDNS is worth a warning, not a refusal to start.
            log.warn("mdns: not announcing {}: {}", cfg.mdns().hostname(), e.getMessage());
            return null;
        }
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

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Metrics metrics() {
        return metrics;
    }

    public GalleryService galleryService() {
        return galleryService;
    }

    /** Scale-out's coordinator; empty on a single server. */
    public Optional<ReplicaCoordinator> coordinator() {
        return Optional.ofNullable(coordinator);
    }

    public Database database() {
        return db;
    }

    public HistoryWriter history() {
        return history;
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
        if (coordinator != null) {
            coordinator.close();
        }
        remote.close();
        maintenance.interrupt();
        registry.close();
        mosaic.close();
        analysis.close();
        integrations.close(); // after analysis: the last decisions are out, then "offline"
        relabeller.close();
        history.close();
        stillAnalyzer.close();
        db.close();
        log.info("camserver stopped");
    }
}
