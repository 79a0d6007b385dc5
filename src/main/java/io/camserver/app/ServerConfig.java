package io.camserver.app;

import io.camserver.ingest.CameraSpec;
import io.camserver.ingest.InvalidField;

import io.camserver.analysis.AnalysisConfig;
import io.camserver.comms.MqttConfig;
import io.camserver.comms.WebhookConfig;
import io.camserver.gallery.MatchConfig;
import io.camserver.image.ImageLimits;
import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.registration.Cidr;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.registration.RegistrationPolicy;
import io.camserver.models.ModelStore;
import io.camserver.track.TrackerConfig;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.FaceQuality;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code camserver serve} needs, validated once at start. Defaults are written down
 * here, in one table; docs/configuration.md lists the same keys.
 */
record ServerConfig(Server server, Registration registration, Ingest ingest, Vision vision, AnalysisConfig analysis,
                    List<ConfiguredCamera> cameras, ImageLimits uploads, Storage storage, Events events, Web web, Mdns mdns, Replicas replicas,
                    Integrations integrations) {

    /** Where the server listens and keeps its files. */
    record Server(String host, int port, Path dataDir, Path modelsDir, Optional<Path> galleryDir) {
    }

    /** Whether cameras may register, and on what terms. */
    record Registration(boolean enabled, RegistrationPolicy policy) {
    }

    /**
     * Pulling cameras: the read limits, when a silent stream is reconnected, the largest frame,
     * the reconnect backoff.
     */
    record Ingest(IngestLimits limits, Duration staleAfter, long maxPixels, Duration backoffInitial, Duration backoffMax, String ffmpeg) {
    }

    /** The gallery's database: SQLite in the data directory, or PostgreSQL at {@code url}. */
    record Storage(Optional<String> url, String user, String password) {
    }

    /**
     * The sighting history's retention, the grouping of unknown faces, and how far back unknown
     * sightings are named later when a person gets samples.
     */
    record Events(Duration maxAge, long maxBytes, float visitorThreshold, Duration rescanWindow, Duration visitGap) {
    }

    private static Duration rescanWindow(Settings s) {
        int days = s.integer("events.rescanDays");
        if (days < 0 || days > 3650) {
            throw new UsageException("events.rescanDays must be 0-3650 days (was " + days + "); 0 turns naming past sightings off");
        }
        return Duration.ofDays(days);
    }

    /** The camera host name announced by mDNS. */
    record Mdns(boolean enabled, String hostname, Optional<String> address) {
    }

    /**
     * Scale-out: replicas on one PostgreSQL.
     *
     * @param secret       shared by the replicas (a Kubernetes Secret): peer requests carry it
     * @param advertiseUrl where the others reach this one; empty: from this host's address and the port
     */
    record Replicas(boolean enabled, String name, Duration heartbeat, Duration deadAfter, Optional<String> secret,
                   Optional<String> advertiseUrl) {
    }

    /** MQTT (off when mqtt.url is empty) and the webhooks of the config file. */
    record Integrations(Optional<MqttConfig> mqtt, List<WebhookConfig> webhooks) {
    }

    /**
     * What the HTTP layer enforces beyond authentication.
     *
     * @param allowedHosts    Host names (or host:port) the server answers to; empty: any. Guards
     *                        against DNS rebinding, where a web page's own name comes to point here.
     * @param metricsPublic   /metrics without credentials
     * @param metricsToken    a bearer token that may read /metrics (Prometheus' credentials_file)
     * @param maxUploads      uploads processed at once; more get 503
     * @param liveViewOpen    cameras and names without a login ({@code auth.liveView: open})
     */
    record Web(List<String> allowedHosts, boolean metricsPublic, Optional<String> metricsToken, int maxUploads, boolean liveViewOpen) {
    }

    /** A camera from configuration. */
    record ConfiguredCamera(String id, CameraRegistry.Source source) {
    }

    static Map<String, String> defaults(Map<String, String> env) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("config", "");
        d.put("log.level", "INFO");
        d.put("server.host", "0.0.0.0");
        d.put("server.trustedProxies", "");
        d.put("server.port", "5000");
        d.put("server.dataDir", defaultDataDir(env).toString());
        d.put("server.allowedHosts", "");
        d.put("models.dir", ModelStore.defaultRoot(env).toString());
        d.put("gallery.dir", "");
        d.put("registration.enabled", "true");
        d.put("registration.networks", String.join(",", RegistrationPolicy.DEFAULT_NETWORKS));
        d.put("registration.maxCameras", "32");
        d.put("registration.key", "");
        d.put("registration.maxPerAddress", "4");
        d.put("registration.expireAfter", "2m");
        d.put("ingest.connectTimeout", "3s");
        d.put("ingest.readTimeout", "5s");
        d.put("ingest.maxPartBytes", String.valueOf(4 << 20));
        d.put("ingest.maxHeaderBytes", String.valueOf(16 << 10));
        d.put("ingest.maxGarbageBytes", String.valueOf(64 << 10));
        d.put("ingest.maxPixels", "16000000");
        d.put("ingest.staleAfter", "10s");
        d.put("ingest.backoffInitial", "500ms");
        d.put("ingest.backoffMax", "5s");
        d.put("detector.kind", "blazeface-live");
        d.put("detector.model", "");
        d.put("detector.minScore", "0.6");
        d.put("embedder.kind", "fr-feature");
        d.put("embedder.model", "");
        d.put("embedder.backend", "auto");
        d.put("embedder.device", "cpu");
        d.put("match.threshold", "");
        d.put("match.margin", "0.05");
        d.put("analysis.workers", String.valueOf(Runtime.getRuntime().availableProcessors()));
        d.put("tracker.refresh", "1s");
        d.put("tracker.votesToDecide", "2");
        d.put("tracker.maxAge", "1500ms");
        d.put("output.jpegQuality", "80");
        d.put("output.mosaicFps", "10");
        d.put("output.tileWidth", "640");
        d.put("output.debug", "false");
        d.put("motion.enabled", "true");
        d.put("motion.threshold", "25");
        d.put("motion.minArea", "0.002");
        d.put("motion.recheck", "5s");
        d.put("quality.minFaceHeight", "32");
        d.put("quality.minSharpness", "15");
        d.put("quality.maxYaw", "45");
        d.put("upload.maxBytes", String.valueOf(16 << 20));
        d.put("storage.url", "");
        d.put("storage.user", "camserver");
        d.put("storage.password", "");
        d.put("storage.passwordFile", "");
        d.put("events.maxAge", "30d");
        d.put("events.maxBytes", String.valueOf(1L << 30));
        d.put("events.rescanDays", "30");
        d.put("visits.gap", "2m");
        d.put("visitors.threshold", "0.45");
        d.put("auth.liveView", "login");
        d.put("metrics.public", "false");
        d.put("metrics.tokenFile", "");
        d.put("mdns.enabled", "true");
        d.put("mdns.hostname", "microshift-cam-reg.local");
        d.put("mdns.address", "");
        d.put("replicas.enabled", "false");
        // A StatefulSet's pod is named camserver-0, -1, ...: its HOSTNAME is the replica's name.
        d.put("replicas.name", env.getOrDefault("HOSTNAME", ""));
        d.put("cameras", "");
        d.put("rtsp.ffmpeg", "ffmpeg");
        d.put("replicas.heartbeat", "5s");
        d.put("replicas.deadAfter", "20s");
        d.put("replicas.secret", "");
        d.put("replicas.secretFile", "");
        d.put("replicas.advertiseUrl", "");
        d.put("upload.maxPixels", "40000000");
        d.put("upload.maxConcurrent", "2");
        d.put("server.publicUrl", "");
        d.put("mqtt.url", "");
        d.put("mqtt.username", "");
        d.put("mqtt.password", "");
        d.put("mqtt.passwordFile", "");
        d.put("mqtt.clientId", "camserver");
        d.put("mqtt.retainSnapshots", "false");
        d.put("mqtt.topicPrefix", "camserver");
        d.put("mqtt.discoveryPrefix", "homeassistant");
        d.put("mqtt.presenceTimeout", "5m");
        return d;
    }

    static ServerConfig from(Settings s) {
        try {
            int port = s.integer("server.port");
            if (port < 0 || port > 65535) {
                throw new UsageException("server.port must be in 0..65535 (was " + port + ")");
            }
            List<Cidr> networks = new ArrayList<>();
            for (String n : s.list("registration.networks")) {
                networks.add(Cidr.parse(n));
            }
            List<Cidr> proxies = new ArrayList<>();
            for (String n : s.list("server.trustedProxies")) {
                proxies.add(Cidr.parse(n));
            }
            RegistrationPolicy policy = new RegistrationPolicy(networks, s.integer("registration.maxCameras"), s.optional("registration.key"),
                    proxies, s.integer("registration.maxPerAddress"), s.duration("registration.expireAfter"));
            IngestLimits ingest = new IngestLimits(s.duration("ingest.connectTimeout"), s.duration("ingest.readTimeout"),
                    s.integer("ingest.maxPartBytes"), s.integer("ingest.maxHeaderBytes"), s.integer("ingest.maxGarbageBytes"));
            Vision vision = vision(s, false, true);
            TrackerConfig t = TrackerConfig.DEFAULT;
            TrackerConfig tracker = new TrackerConfig(t.minIou(), s.duration("tracker.maxAge"), t.firstEmbeds(), s.duration("tracker.refresh"),
                    s.integer("tracker.votesToDecide"), t.maxEmbedsPerFrame());
            AnalysisConfig analysis = new AnalysisConfig(s.integer("analysis.workers"), tracker, s.integer("output.jpegQuality"),
                    s.integer("output.mosaicFps"), s.integer("output.tileWidth"),
                    new AnalysisConfig.Motion(s.bool("motion.enabled"), s.number("motion.threshold"), s.number("motion.minArea"),
                            s.duration("motion.recheck")),
                    s.bool("output.debug"), new FaceQuality.Limits(s.integer("quality.minFaceHeight"), s.number("quality.minSharpness"),
                            s.number("quality.maxYaw")));
            List<ConfiguredCamera> cams = new ArrayList<>();
            for (Map<String, String> c : s.cameras()) {
                cams.add(configuredCamera(c, s.string("rtsp.ffmpeg")));
            }
            ImageLimits uploads = new ImageLimits(s.integer("upload.maxBytes"), s.integer("upload.maxPixels"));
            String liveView = s.string("auth.liveView");
            if (!liveView.equals("open") && !liveView.equals("login")) {
                throw new UsageException("auth.liveView must be open or login (was '" + liveView + "')");
            }
            if (s.bool("replicas.enabled") && s.optional("storage.url").isEmpty()) {
                throw new UsageException("replicas.enabled needs storage.url: replicas share one PostgreSQL database");
            }
            Optional<String> peerSecret = s.optional("replicas.secretFile").map(f -> Settings.secretFile("replicas.secretFile", f));
            if (peerSecret.isEmpty()) {
                peerSecret = s.optional("replicas.secret");
            }
            if (s.bool("replicas.enabled") && peerSecret.map(String::length).orElse(0) < 16) {
                throw new UsageException("replicas.enabled needs replicas.secret (or replicas.secretFile) of at least 16 characters: "
                        + "replicas relay each other's cameras and authenticate with it");
            }
            long eventsMaxBytes;
            try {
                eventsMaxBytes = Long.parseLong(s.string("events.maxBytes"));
            } catch (NumberFormatException e) {
                throw new UsageException("events.maxBytes must be a number of bytes (was '" + s.string("events.maxBytes") + "')");
            }
            long framePixels = s.integer("ingest.maxPixels");
            if (framePixels < 64 * 64) {
                throw new UsageException("ingest.maxPixels must be >= 4096 (was " + framePixels + ")");
            }
            int maxUploads = s.integer("upload.maxConcurrent");
            if (maxUploads < 1 || maxUploads > 64) {
                throw new UsageException("upload.maxConcurrent must be in 1..64 (was " + maxUploads + ")");
            }
            Web web = new Web(s.list("server.allowedHosts").stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList(),
                    s.bool("metrics.public"), metricsToken(s), maxUploads, liveView.equals("open"));
            return new ServerConfig(
                    new Server(s.string("server.host"), port, Path.of(s.string("server.dataDir")), Path.of(s.string("models.dir")),
                            s.optional("gallery.dir").map(Path::of)),
                    new Registration(s.bool("registration.enabled"), policy),
                    new Ingest(ingest, s.duration("ingest.staleAfter"), framePixels, s.duration("ingest.backoffInitial"),
                            s.duration("ingest.backoffMax"), s.string("rtsp.ffmpeg")),
                    vision, analysis, cams, uploads,
                    new Storage(s.optional("storage.url"), s.string("storage.user"),
                            s.optional("storage.passwordFile").map(f -> Settings.secretFile("storage.passwordFile", f)).orElse(s.string("storage.password"))),
                    new Events(s.duration("events.maxAge"), eventsMaxBytes, s.number("visitors.threshold"), rescanWindow(s),
                            s.duration("visits.gap")),
                    web,
                    new Mdns(s.bool("mdns.enabled"), s.string("mdns.hostname"), s.optional("mdns.address")),
                    new Replicas(s.bool("replicas.enabled"), replicaName(s), s.duration("replicas.heartbeat"), s.duration("replicas.deadAfter"),
                            peerSecret, s.optional("replicas.advertiseUrl")),
                    new Integrations(IntegrationSettings.mqtt(s, port), IntegrationSettings.webhooks(s)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Where faces and the password hash live unless told otherwise: the user's data folder
     * (XDG), never the working directory, so running camserver in a git checkout leaves no
     * untracked faces behind.
     */
    static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "camserver");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "camserver");
    }

    /** The detector, embedder and matching sections, validated. */
    record Vision(DetectorConfig detector, EmbedderConfig embedder, MatchConfig match) {
    }

    /**
     * The vision sections for live frames or for photos ({@code identify}, {@code bench}): photos
     * get the dual detector unless {@code detector.kind} was set anywhere, and the flip pass.
     */
    static Vision vision(Settings s, boolean stillImages, boolean flip) {
        DetectorConfig base = stillImages ? DetectorConfig.stillDefaults() : DetectorConfig.defaults();
        DetectorConfig.Kind dk = s.isDefault("detector.kind") ? base.kind() : DetectorConfig.Kind.parse(s.string("detector.kind"));
        Optional<Path> model = s.optional("detector.model").map(Path::of);
        if ((dk == DetectorConfig.Kind.BLAZEFACE_DUAL || dk == DetectorConfig.Kind.BLAZEFACE_LIVE) && model.isPresent()) {
            throw new UsageException("detector.model needs detector.kind blazeface-full, blazeface-short or yunet");
        }
        float minScore = s.isDefault("detector.minScore") ? base.minScore() : s.number("detector.minScore");
        DetectorConfig detector = new DetectorConfig(dk, model, minScore, base.closeUpMinScore(), base.nmsIou(), base.minFaceSize(),
                base.maxFaces());
        EmbedderConfig.Kind ek = EmbedderConfig.Kind.parse(s.string("embedder.kind"));
        if (ek == EmbedderConfig.Kind.DLIB) {
            // Its cosines sit in another range (impostors around 0.84), which visitors.threshold and
            // the other similarity settings do not follow, and it separates people worse (d' 4.0
            // against 6.1 in eval): offered for comparison only.
            throw new UsageException("embedder.kind dlib is for `camserver eval --embedders dlib` only: it separates faces "
                    + "less well than fr-feature there (see docs/recognition.md); use fr-feature or mobilefacenet");
        }
        EmbedderConfig.Device device;
        try {
            device = EmbedderConfig.Device.parse(s.string("embedder.device"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        EmbedderConfig embedder = new EmbedderConfig(ek, s.optional("embedder.model").map(Path::of), flip,
                EmbedderConfig.Backend.parse(s.string("embedder.backend")), device);
        float threshold = s.optional("match.threshold").isPresent() ? s.number("match.threshold") : ek.defaultThreshold();
        return new Vision(detector, embedder, new MatchConfig(threshold, s.number("match.margin")));
    }

    /** The bearer token for /metrics, read once from metrics.tokenFile (a mounted Secret). */
    private static Optional<String> metricsToken(Settings s) {
        Optional<String> file = s.optional("metrics.tokenFile");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String token = Settings.secretFile("metrics.tokenFile", file.get());
        if (token.length() < 16) {
            throw new UsageException("metrics.tokenFile " + file.get() + " must hold a token of at least 16 characters (has "
                    + token.length() + ")");
        }
        return Optional.of(token);
    }

    /** The replica's name (and this server's among several on one MQTT broker): replicas.name (by default the pod's HOSTNAME), else this host's name. */
    static String replicaName(Settings s) {
        return s.optional("replicas.name").orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "camserver";
            }
        });
    }

    /** A camera of the config file, read by the same rules as the API's ({@link CameraSpec#parse}). */
    private static ConfiguredCamera configuredCamera(Map<String, String> c, String ffmpeg) {
        String id = c.get("id");
        try {
            CameraSpec spec = CameraSpec.parse(c, null);
            return new ConfiguredCamera(spec.id(), spec.source(ffmpeg));
        } catch (InvalidField e) {
            boolean idOk = id != null && Camera.ID.matcher(id).matches();
            throw new UsageException("cameras: " + (idOk ? id + ": " : "") + e.getMessage());
        }
    }
}
