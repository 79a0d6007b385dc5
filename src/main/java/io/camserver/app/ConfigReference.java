package io.camserver.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every setting means, in the order the README's configuration reference lists them. The
 * reference is generated from this and the defaults ({@code camserver serve --config-reference});
 * a test keeps the README's copy, this list and the defaults from drifting apart.
 */
final class ConfigReference {
    private ConfigReference() {
    }

    /** A key's meaning, and how its default is shown where it depends on the machine. */
    record Entry(String meaning, String shownDefault) {
    }

    static final Map<String, Entry> KEYS = new LinkedHashMap<>();

    private static void key(String key, String meaning) {
        KEYS.put(key, new Entry(meaning, null));
    }

    private static void key(String key, String meaning, String shownDefault) {
        KEYS.put(key, new Entry(meaning, shownDefault));
    }

    static {
        key("config", "the YAML config file read before the environment (the `--config` option)");
        key("log.level", "TRACE, DEBUG, INFO, WARN or ERROR");
        key("server.host", "address to listen on");
        key("server.port", "HTTP port (the demo's 5000)");
        key("server.dataDir", "database (SQLite) and admin password hash; created 0700", "`$XDG_DATA_HOME/camserver`, else `~/.local/share/camserver`");
        key("server.allowedHosts", "Host names (or host:port) answered; any other gets 421 (DNS rebinding); empty: any");
        key("server.publicUrl", "where people open the UI (links in Home Assistant)", "`http://<host name>:<port>`");
        key("models.dir", "model cache, verified against pinned hashes", "`$XDG_CACHE_HOME/camserver/models`, else `~/.cache/camserver/models`");
        key("gallery.dir", "seeds an empty gallery from `<Person Name>/*.jpg`");
        key("cameras", "static cameras, `id=URL` or `id=snapshot:URL`, space separated (or a `cameras:` list in the file)");
        key("registration.enabled", "answer `/register` at all");
        key("registration.networks", "CIDRs cameras may register from");
        key("registration.maxCameras", "cameras at once, registered plus static");
        key("registration.key", "shared key cameras must send as `&key=`; empty: not required");
        key("registration.trustedProxies", "CIDRs of the router or ingress whose `X-Forwarded-For` is believed");
        key("registration.maxPerAddress", "registered cameras from one source address");
        key("registration.expireAfter", "forget a registration not streaming and silent this long");
        key("ingest.connectTimeout", "connecting to a camera");
        key("ingest.readTimeout", "a camera silent this long is reconnected");
        key("ingest.maxPartBytes", "largest MJPEG part or snapshot, bytes");
        key("ingest.maxHeaderBytes", "largest response or part header, bytes");
        key("ingest.maxGarbageBytes", "bytes without a boundary before a stream is refused");
        key("ingest.maxPixels", "largest camera frame, from its JPEG header");
        key("ingest.staleAfter", "a connection that delivers no frame this long is reconnected");
        key("ingest.backoffInitial", "first reconnect delay (doubles, with jitter)");
        key("ingest.backoffMax", "longest reconnect delay");
        key("detector.kind", "`blazeface-full`, `blazeface-short`, `blazeface-dual` or `yunet`", "`blazeface-full` (`blazeface-dual` for photos)");
        key("detector.model", "detector model file (required for `yunet`)");
        key("detector.minScore", "detector confidence needed");
        key("embedder.kind", "`fr-feature` or `sface`");
        key("embedder.model", "embedder model file (required for `sface`)");
        key("embedder.backend", "`onnxruntime` or `opencv`");
        key("match.threshold", "cosine similarity needed to name a face", "the embedder's (0.40 fr-feature, 0.363 sface)");
        key("match.margin", "lead over the runner-up needed to name a face");
        key("analysis.workers", "analysis threads", "the number of cores");
        key("tracker.refresh", "a tracked face is embedded again this often");
        key("tracker.votesToDecide", "agreeing matches (a majority of the last 7) that decide a name");
        key("tracker.maxAge", "a face unseen this long ends its track");
        key("output.jpegQuality", "annotated streams' JPEG quality");
        key("output.mosaicFps", "`/video_feed` frames per second");
        key("output.tileWidth", "mosaic cell width, pixels");
        key("upload.maxBytes", "largest photo upload, bytes (413 above)");
        key("upload.maxPixels", "largest photo, from its header");
        key("upload.maxConcurrent", "uploads processed at once (503 beyond)");
        key("storage.url", "`jdbc:postgresql://host:5432/db`; empty: SQLite in the data directory");
        key("storage.user", "PostgreSQL user");
        key("storage.password", "PostgreSQL password");
        key("storage.passwordFile", "file holding it (a mounted Secret)");
        key("events.maxAge", "sightings kept this long");
        key("events.maxBytes", "sightings kept up to this size, bytes");
        key("clusters.threshold", "cosine an unknown face needs to join a cluster");
        key("auth.liveView", "`login` or `open` (cameras and names to anyone)");
        key("metrics.public", "`/metrics` without credentials");
        key("metrics.tokenFile", "file holding the bearer token that may read `/metrics`");
        key("mdns.enabled", "announce the camera host name by mDNS");
        key("mdns.hostname", "the name announced");
        key("mdns.address", "the address announced; empty: this host's");
        key("cluster.enabled", "scale-out: replicas on one PostgreSQL");
        key("cluster.name", "this replica's name", "`$HOSTNAME`, else the host name");
        key("cluster.heartbeat", "heartbeat and reconcile interval");
        key("cluster.deadAfter", "a replica silent this long loses its cameras");
        key("cluster.secret", "shared by the replicas, at least 16 characters");
        key("cluster.secretFile", "file holding it (a mounted Secret)");
        key("cluster.advertiseUrl", "where peers reach this replica", "listen address (or this host's) and port");
        key("mqtt.url", "`tcp://host:1883` or `ssl://host:8883`; empty: MQTT off");
        key("mqtt.username", "broker user");
        key("mqtt.password", "broker password");
        key("mqtt.passwordFile", "file holding it (a mounted Secret)");
        key("mqtt.clientId", "client id, and Home Assistant node id");
        key("mqtt.topicPrefix", "root of camserver's topics");
        key("mqtt.discoveryPrefix", "Home Assistant's discovery prefix");
        key("mqtt.presenceTimeout", "a person is `home` while seen within this long");
    }

    /** The README's table: key, default, environment variable, meaning. */
    static String markdown(Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder("| key | default | environment | meaning |\n|---|---|---|---|\n");
        for (Map.Entry<String, Entry> e : KEYS.entrySet()) {
            String key = e.getKey();
            String def = e.getValue().shownDefault() != null ? e.getValue().shownDefault()
                    : defaults.get(key).isEmpty() ? "" : "`" + defaults.get(key) + "`";
            sb.append("| `").append(key).append("` | ").append(def).append(" | `").append(Settings.envName(key)).append("` | ")
                    .append(e.getValue().meaning()).append(" |\n");
        }
        return sb.toString();
    }
}
