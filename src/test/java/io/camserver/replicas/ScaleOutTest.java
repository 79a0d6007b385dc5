package io.camserver.replicas;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;
import io.camserver.support.ServerProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.replicas.Rendezvous;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas sharing one PostgreSQL database split the cameras between them, whichever replica
 * a registration reaches, and one takes over the other's cameras when it stops.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ScaleOutTest {
    /** One replica's settings: the shared database, scale-out on, quick heartbeats. */
    private static Map<String, String> replica(String url, String name) {
        Map<String, String> m = new HashMap<>(Map.of("storage.url", url, "replicas.enabled", "true", "replicas.heartbeat", "1s",
                "replicas.deadAfter", "3s", "replicas.secret", "peer-secret-0123456789"));
        m.put("replicas.name", name);
        return m;
    }

    @Test
    void camerasAreSplitByRendezvousHashingAndMoveWhenAReplicaStops(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleout");
        Map<String, String> a = replica(url, "replica-a");
        Map<String, String> b = replica(url, "replica-b");
        List<String> members = List.of("replica-a", "replica-b");
        try (LiveFixture ra = LiveFixture.start(tmp.resolve("a"), a)) {
            LiveFixture rb = LiveFixture.start(tmp.resolve("b"), b);
            boolean bStopped = false;
            try {
                LiveFixture.waitUntil(Duration.ofSeconds(10), "both replicas see each other",
                        () -> ra.server.coordinator().orElseThrow().members().equals(members) && rb.server.coordinator().orElseThrow().members().equals(members));
                // Every camera registers with replica a only, as through a Service that picked it.
                List<SimulatedCamera> cams = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    cams.add(ra.camera(LiveFixture.frames("amy", 1), 4, Duration.ofSeconds(15)));
                }
                Map<String, Integer> perReplica = new HashMap<>();
                for (SimulatedCamera cam : cams) {
                    String id = LiveFixture.idOf(cam);
                    String owner = Rendezvous.owner(id, members).orElseThrow();
                    LiveFixture own = owner.equals("replica-a") ? ra : rb;
                    LiveFixture other = owner.equals("replica-a") ? rb : ra;
                    LiveFixture.eventually(Duration.ofSeconds(15), id + " streaming on " + owner,
                            () -> own.camera(id) != null && "streaming".equals(own.camera(id).get("state").asText()));
                    assertTrue(other.server.registry().get(id).isEmpty(), id + " is pulled by " + owner + " only");
                    perReplica.merge(owner, 1, Integer::sum);
                }
                for (SimulatedCamera cam : cams) {
                    assertTrue(cam.streamRequests() <= 2, "no duplicate pullers fighting over " + LiveFixture.idOf(cam));
                }
                System.out.println("scale-out test: cameras per replica " + perReplica);
                rb.close();
                bStopped = true;
                for (SimulatedCamera cam : cams) {
                    String id = LiveFixture.idOf(cam);
                    LiveFixture.eventually(Duration.ofSeconds(20), id + " taken over by replica-a",
                            () -> ra.server.registry().get(id).map(c -> c.puller().status().state() == io.camserver.ingest.CameraState.STREAMING)
                                    .orElse(false));
                }
            } finally {
                if (!bStopped) {
                    rb.close();
                }
            }
        }
    }

    /**
     * A camera added through one replica's API is in the shared database: the replica that owns it
     * by rendezvous hashing pulls it, the other does not; a change made through either is taken up
     * by the owner; a removal through either stops it everywhere.
     */
    @Test
    void apiCamerasAreSharedAndOwnedByOneReplica(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleoutapi");
        Map<String, String> a = replica(url, "replica-a");
        Map<String, String> b = replica(url, "replica-b");
        List<String> members = List.of("replica-a", "replica-b");
        try (io.camserver.support.AuthCamera cam = new io.camserver.support.AuthCamera(io.camserver.support.AuthCamera.Scheme.BASIC, List.of(),
                "u", "shared-pw", LiveFixture.frames("amy", 1));
             LiveFixture ra = LiveFixture.start(tmp.resolve("a"), a); LiveFixture rb = LiveFixture.start(tmp.resolve("b"), b)) {
            LiveFixture.waitUntil(Duration.ofSeconds(10), "both replicas see each other",
                    () -> ra.server.coordinator().orElseThrow().members().equals(members) && rb.server.coordinator().orElseThrow().members().equals(members));
            ApiClient apiA = new ApiClient(ra.base(), LiveFixture.BASIC);
            ApiClient apiB = new ApiClient(rb.base(), LiveFixture.BASIC);
            // An id owned by replica b, added through replica a.
            String id = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "shop-" + i)
                    .filter(x -> Rendezvous.owner(x, members).orElseThrow().equals("replica-b")).findFirst().orElseThrow();
            ApiClient.Reply added = apiA.postJson("/api/cameras", "{\"id\":\"" + id + "\",\"url\":\"" + cam.url("/stream", null)
                    + "\",\"username\":\"u\",\"password\":\"shared-pw\",\"auth\":\"basic\"}");
            assertEquals(201, added.status(), added.body());
            LiveFixture.eventually(Duration.ofSeconds(15), id + " streaming on replica-b", () -> rb.server.registry().get(id)
                    .map(c -> c.puller().status().state() == io.camserver.ingest.CameraState.STREAMING).orElse(false));
            assertTrue(ra.server.registry().get(id).isEmpty(), "replica-a does not pull it");
            assertEquals(409, apiB.postJson("/api/cameras", "{\"id\":\"" + id + "\",\"url\":\"http://127.0.0.1:9/x\"}").status(),
                    "the id is taken for every replica");
            // Changed through replica a: its owner, b, reconnects with the new password.
            assertEquals(200, apiA.patchJson("/api/cameras/" + id, "{\"password\":\"wrong\"}").status());
            LiveFixture.eventually(Duration.ofSeconds(15), "b uses the changed password", () -> rb.server.registry().get(id)
                    .map(c -> "wrong credentials (401)".equals(c.puller().status().lastError())).orElse(false));
            // Removed through replica a: b stops pulling it.
            assertEquals(204, apiA.delete("/api/cameras/" + id).status());
            LiveFixture.eventually(Duration.ofSeconds(15), "b stops pulling " + id, () -> rb.server.registry().get(id).isEmpty());
        }
    }

    /**
     * A guest spreading fake registrations over the replicas meets the same caps as on one server,
     * counted in the shared table; the fakes expire there, while a streaming camera, which does not
     * re-register, keeps its entry because its owner renews it.
     */
    @Test
    void theSharedRegistrationsObeyThePerAddressCapAndExpiry(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleoutcaps");
        Map<String, String> common = Map.of("storage.url", url, "replicas.enabled", "true", "replicas.heartbeat", "1s",
                "replicas.deadAfter", "3s", "registration.expireAfter", "3s", "replicas.secret", "peer-secret-0123456789");
        Map<String, String> a = new HashMap<>(common);
        a.put("replicas.name", "replica-a");
        Map<String, String> b = new HashMap<>(common);
        b.put("replicas.name", "replica-b");
        try (LiveFixture ra = LiveFixture.start(tmp.resolve("a"), a); LiveFixture rb = LiveFixture.start(tmp.resolve("b"), b)) {
            SimulatedCamera cam = ra.camera(LiveFixture.frames("amy", 1), 4, Duration.ofHours(1)); // registers once, then streams
            String camId = LiveFixture.idOf(cam);
            java.net.InetAddress guest = LiveFixture.newCameraAddress();
            for (int port = 4001; port <= 4004; port++) {
                LiveFixture via = port % 2 == 0 ? ra : rb;
                assertEquals("ACK", via.register(guest, "ip=" + guest.getHostAddress() + ":" + port + "&token=abcd1234").body());
            }
            for (LiveFixture via : List.of(ra, rb)) {
                LiveFixture.Raw fifth = via.register(guest, "ip=" + guest.getHostAddress() + ":4005&token=abcd1234");
                assertEquals(429, fifth.status(), fifth.body());
                assertTrue(fifth.body().endsWith("the limit of 4 (registration.maxPerAddress)"), fifth.body());
            }
            io.camserver.store.ReplicaStore shared = new io.camserver.store.ReplicaStore(ra.server.database());
            LiveFixture.eventually(Duration.ofSeconds(20), "the fakes expired from the shared table, the streaming camera stayed",
                    () -> shared.registrations().stream().map(io.camserver.store.ReplicaStore.Registration::cameraId).toList()
                            .equals(List.of(camId)));
            LiveFixture own = Rendezvous.owner(camId, List.of("replica-a", "replica-b")).orElseThrow().equals("replica-a") ? ra : rb;
            assertEquals("streaming", own.camera(camId).get("state").asText());
        }
    }

    /**
     * Three replicas, the third a {@code serve} process of its own: it is killed (SIGKILL, as a
     * crash or an OOM kill) and its cameras stream from the survivors within deadAfter and a
     * heartbeat; then a rolling restart of another loses no registration, person or session.
     */
    @Test
    void aCrashedReplicasCamerasMoveAndARollingRestartLosesNothing(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("failover");
        Map<String, Map<String, String>> cfg = new java.util.LinkedHashMap<>();
        for (String name : List.of("replica-a", "replica-b")) {
            Map<String, String> m = new HashMap<>(Map.of("storage.url", url, "replicas.enabled", "true", "replicas.heartbeat", "1s",
                    "replicas.deadAfter", "3s", "replicas.secret", "peer-secret-0123456789"));
            m.put("replicas.name", name);
            cfg.put(name, m);
        }
        Map<String, LiveFixture> live = new java.util.LinkedHashMap<>();
        try (ServerProcess c = ServerProcess.start(tmp.resolve("replica-c"), Map.of("CAMSERVER_STORAGE_URL", url, "CAMSERVER_REPLICAS_ENABLED", "true",
                "CAMSERVER_REPLICAS_NAME", "replica-c", "CAMSERVER_REPLICAS_HEARTBEAT", "1s", "CAMSERVER_REPLICAS_DEAD_AFTER", "3s",
                "CAMSERVER_REPLICAS_SECRET", "peer-secret-0123456789"))) {
            for (var e : cfg.entrySet()) {
                live.put(e.getKey(), LiveFixture.start(tmp.resolve(e.getKey()), e.getValue()));
            }
            LiveFixture a = live.get("replica-a");
            LiveFixture.waitUntil(Duration.ofSeconds(15), "three members", () -> a.server.coordinator().orElseThrow().members().size() == 3);
            ApiClient api = new ApiClient(a.base(), LiveFixture.BASIC);
            String person = api.postJson("/api/people", "{\"name\":\"Leonard\"}").json().get("id").asText();
            var login = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(a.base().resolve("/login"))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"password\":\"" + LiveFixture.ADMIN_PASSWORD + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            String session = cookie.substring(0, cookie.indexOf(';'));
            List<String> ids = new ArrayList<>();
            List<String> members = List.of("replica-a", "replica-b", "replica-c");
            // Camera ids carry their (random) port, so who owns them varies: nine cameras, and more
            // (at most 30) until replica-c owns some, else a run with none for c (2.6 %) tests nothing.
            while (ids.size() < 9 || (ids.size() < 30 && ids.stream().noneMatch(id -> Rendezvous.owner(id, members).orElseThrow().equals("replica-c")))) {
                ids.add(LiveFixture.idOf(a.camera(LiveFixture.frames("amy", 1), 4, Duration.ofSeconds(2))));
            }
            List<String> ofC = ids.stream().filter(id -> Rendezvous.owner(id, members).orElseThrow().equals("replica-c")).toList();
            assertTrue(!ofC.isEmpty(), "replica-c pulls some cameras");
            List<String> ofAB = ids.stream().filter(id -> !ofC.contains(id)).toList();
            LiveFixture.eventually(Duration.ofSeconds(20), "a's and b's cameras streaming, c's listed as c's", () -> {
                for (String id : ofC) {
                    var cam = a.camera(id);
                    if (cam == null || !"replica-c".equals(cam.path("owner").asText()) || !"streaming".equals(cam.path("state").asText())) {
                        return false;
                    }
                }
                return streamingSomewhere(live, ofAB);
            });

            long killed = System.nanoTime();
            c.kill();
            LiveFixture.eventually(Duration.ofSeconds(3 + 1 + 3), "the crashed replica's cameras streaming on the survivors",
                    () -> streamingSomewhere(live, ids));
            System.out.printf("scale-out: %d cameras of a crashed replica streaming elsewhere after %.1f s (deadAfter 3 s, heartbeat 1 s)%n",
                    ofC.size(), (System.nanoTime() - killed) / 1e9);

            // Rolling restart of replica-b.
            live.remove("replica-b").close();
            live.put("replica-b", LiveFixture.start(tmp.resolve("replica-b-restarted"), cfg.get("replica-b")));
            LiveFixture b = live.get("replica-b");
            LiveFixture.eventually(Duration.ofSeconds(20), "every camera streaming after the restart", () -> streamingSomewhere(live, ids));
            assertEquals(200, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(b.base().resolve("/api/people"))
                    .header("Cookie", session).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "the session survived");
            assertEquals("Leonard", new ApiClient(b.base(), LiveFixture.BASIC).get("/api/people/" + person).json().get("name").asText());
            assertEquals(9, new io.camserver.store.ReplicaStore(b.server.database()).registrations().size(), "no registration lost");
        } finally {
            live.values().forEach(LiveFixture::close);
        }
    }

    private static boolean streamingSomewhere(Map<String, LiveFixture> live, List<String> ids) {
        for (String id : ids) {
            boolean ok = live.values().stream().anyMatch(f -> f.server.registry().get(id)
                    .map(c -> c.puller().status().state() == io.camserver.ingest.CameraState.STREAMING).orElse(false));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
