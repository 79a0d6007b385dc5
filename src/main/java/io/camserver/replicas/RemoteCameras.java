package io.camserver.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.mjpeg.MjpegFeed;
import io.camserver.output.Broadcaster;
import io.camserver.output.Mosaic;
import io.camserver.store.ReplicaStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras other replicas pull, seen from this one: their list (refreshed from each peer on
 * every heartbeat) and relays of their annotated streams. A relay is one upstream connection per
 * camera, opened on demand and shared by all of this replica's viewers (and its mosaic); it closes
 * itself when nobody has watched for a while. Peers authenticate with the deployment's shared
 * secret (a {@link PeerToken} in {@value #PEER_HEADER}, never the secret itself), so nothing here is open to the camera network.
 */
public final class RemoteCameras implements AutoCloseable {
    public static final String PEER_HEADER = "X-Camserver-Peer";
    private static final Logger log = LoggerFactory.getLogger(RemoteCameras.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long IDLE_NANOS = Duration.ofSeconds(15).toNanos();

    /** A camera pulled by another replica, as that replica last described it. */
    public record Remote(String id, String owner, String ownerUrl, Map<String, Object> state) {
    }

    private final String self;
    private final String secret;
    private final IngestLimits limits;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();
    private volatile Map<String, Remote> remotes = Map.of();
    private volatile boolean closed;

    /** This replica's proof for one request to a peer ({@link PeerToken}): never the secret itself. */
    private String token(String method, URI uri) {
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return PeerToken.sign(secret.getBytes(StandardCharsets.UTF_8), method, target, System.currentTimeMillis() / 1000);
    }

    /** For a single server: no peers, nothing remote. */
    public static RemoteCameras none() {
        RemoteCameras r = new RemoteCameras(null, "", IngestLimits.DEFAULT);
        r.closed = true;
        return r;
    }

    /** @param self this replica's name, shown as the owner of its own cameras */
    public RemoteCameras(String self, String secret, IngestLimits limits) {
        this.self = self;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Asks every peer for the cameras it pulls; called on each heartbeat. A peer that does not answer keeps its last list. */
    void refresh(List<ReplicaStore.Member> peers) {
        Map<String, Remote> next = new HashMap<>();
        Map<String, Remote> before = remotes;
        for (ReplicaStore.Member m : peers) {
            if (m.url() == null) {
                continue;
            }
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/cameras?scope=local"))
                        .timeout(Duration.ofSeconds(2)).header(PEER_HEADER, token("GET", URI.create(m.url() + "/api/cameras?scope=local"))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                for (JsonNode c : JSON.readTree(r.body())) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> state = JSON.convertValue(c, LinkedHashMap.class);
                    state.put("owner", m.name());
                    next.put(c.path("id").asText(), new Remote(c.path("id").asText(), m.name(), m.url(), state));
                }
            } catch (IOException | RuntimeException e) {
                log.debug("scale-out: peer {} did not list its cameras: {}", m.name(), e.toString());
                before.values().stream().filter(x -> x.owner().equals(m.name())).forEach(x -> next.put(x.id(), x));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        remotes = Map.copyOf(next);
        for (String id : new ArrayList<>(relays.keySet())) {
            Remote now = next.get(id);
            Relay r = relays.get(id);
            if (now == null || !now.ownerUrl().equals(r.remote.ownerUrl())) {
                stopRelay(id); // the camera moved (or went): a new relay follows it on demand
            }
        }
    }

    /** Forgets a camera this replica now pulls itself. */
    void local(String id) {
        stopRelay(id);
    }

    /** This replica's name in a scale-out deployment; empty on a single server. */
    public Optional<String> self() {
        return Optional.ofNullable(self);
    }

    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        remotes.values().stream().sorted(Comparator.comparing(Remote::id)).forEach(r -> out.add(new LinkedHashMap<>(r.state())));
        return out;
    }

    public Optional<Remote> get(String id) {
        return Optional.ofNullable(remotes.get(id));
    }

    /** The relayed stream of a remote camera (started if needed), or empty for a camera no peer pulls. */
    public Optional<Broadcaster> output(String id) {
        Remote r = remotes.get(id);
        if (r == null || closed) {
            return Optional.empty();
        }
        Relay relay = relays.computeIfAbsent(id, k -> new Relay(r));
        relay.touch();
        return Optional.of(relay.output);
    }

    /** Mosaic tiles of every remote camera: a relayed picture is decoded only when it is new. */
    public List<Mosaic.Tile> tiles() {
        List<Mosaic.Tile> out = new ArrayList<>();
        for (Remote r : remotes.values().stream().sorted(Comparator.comparing(Remote::id)).toList()) {
            Broadcaster b = output(r.id()).orElse(null);
            Broadcaster.Published p = b == null ? null : b.latest();
            String caption = r.id() + "  " + r.state().getOrDefault("state", "?") + " (on " + r.owner() + ")";
            out.add(new Mosaic.Tile(r.id(), caption, p == null ? 0 : p.publishedNanos(), () -> p == null ? null : decodeHalf(p.jpeg())));
        }
        return out;
    }

    private static Mat decodeHalf(byte[] jpeg) {
        MatOfByte buf = new MatOfByte(jpeg);
        try {
            Mat picture = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_REDUCED_COLOR_2);
            if (picture.empty()) {
                picture.release();
                return null;
            }
            return picture;
        } finally {
            buf.release();
        }
    }

    /** A remote camera's snapshot: from its relay if fresh, else asked of its owner once. */
    public Optional<byte[]> snapshot(String id) throws InterruptedException {
        Remote r = remotes.get(id);
        if (r == null) {
            return Optional.empty();
        }
        Relay relay = relays.get(id);
        Broadcaster.Published p = relay == null ? null : relay.output.latest();
        if (p != null && System.nanoTime() - p.publishedNanos() < 2_000_000_000L) {
            return Optional.of(p.jpeg());
        }
        try {
            URI snap = URI.create(r.ownerUrl() + "/cameras/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/snapshot.jpg");
            HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(snap).timeout(Duration.ofSeconds(5))
                    .header(PEER_HEADER, token("GET", snap)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return resp.statusCode() == 200 && resp.body().length <= limits.maxPartBytes() ? Optional.of(resp.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void stopRelay(String id) {
        Relay r = relays.remove(id);
        if (r != null) {
            r.stop();
        }
    }

    @Override
    public void close() {
        closed = true;
        new ArrayList<>(relays.keySet()).forEach(this::stopRelay);
        http.close();
    }

    /** One upstream connection to the owner's annotated stream, fanned out to this replica's viewers. */
    private final class Relay {
        private final Remote remote;
        private final Broadcaster output;
        private final Thread thread;
        private volatile long lastWanted = System.nanoTime();
        private volatile boolean running = true;
        private volatile MjpegFeed feed;

        Relay(Remote remote) {
            this.remote = remote;
            this.output = new Broadcaster("relay of camera " + remote.id() + " from " + remote.owner());
            this.thread = Thread.ofVirtual().name("relay-" + remote.id()).start(this::run);
        }

        void touch() {
            lastWanted = System.nanoTime();
        }

        private void run() {
            URI uri = URI.create(remote.ownerUrl() + "/cameras/" + URLEncoder.encode(remote.id(), StandardCharsets.UTF_8) + "/stream");
            while (running && !closed) {
                try (MjpegFeed f = MjpegFeed.open(uri, limits, Map.of(PEER_HEADER, token("GET", uri)))) {
                    feed = f;
                    while (running) {
                        Optional<byte[]> jpeg = f.next();
                        if (jpeg.isEmpty()) {
                            break;
                        }
                        output.publish(jpeg.get());
                        if (output.viewers() > 0) {
                            touch();
                        }
                        if (System.nanoTime() - lastWanted > IDLE_NANOS) {
                            running = false; // nobody watched for a while: let the owner's stream go
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("relay of {} from {}: {}", remote.id(), remote.owner(), e.getMessage());
                }
                if (running) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            relays.remove(remote.id(), this);
            output.close();
        }

        void stop() {
            running = false;
            MjpegFeed f = feed;
            if (f != null) {
                f.close();
            }
            thread.interrupt();
        }
    }
}
