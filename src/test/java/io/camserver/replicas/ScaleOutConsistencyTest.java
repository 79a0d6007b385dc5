package io.camserver.replicas;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.replicas.Rendezvous;
import io.camserver.sim.SimulatedCamera;
import io.camserver.store.EventStore;
import io.camserver.support.Fixtures;
import io.camserver.support.PostgresServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one private PostgreSQL behave as one server: a gallery change made through one
 * is matched by the other within a heartbeat and a second; one stranger seen by cameras of both
 * becomes one visitor; concurrent sightings never collide; a login works on both and a logout on
 * one ends it on the other; a camera pulled by one streams and snapshots through the other.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ScaleOutConsistencyTest {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final List<String> MEMBERS = List.of("replica-a", "replica-b");
    @TempDir
    static Path tmp;
    static LiveFixture a;
    static LiveFixture b;

    static Map<String, String> replica(String url, String name) {
        Map<String, String> m = new HashMap<>(Map.of("storage.url", url, "replicas.enabled", "true", "replicas.heartbeat", "1s",
                "replicas.deadAfter", "3s", "replicas.secret", "peer-secret-0123456789"));
        m.put("replicas.name", name);
        return m;
    }

    @BeforeAll
    static void start() throws Exception {
        String url = PostgresServer.shared().newDatabase("consistency");
        a = LiveFixture.start(tmp.resolve("a"), replica(url, "replica-a"));
        b = LiveFixture.start(tmp.resolve("b"), replica(url, "replica-b"));
        LiveFixture.waitUntil(Duration.ofSeconds(10), "both replicas see each other",
                () -> a.server.coordinator().orElseThrow().members().equals(MEMBERS) && b.server.coordinator().orElseThrow().members().equals(MEMBERS));
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    /** A simulated camera (registering through replica a) that the hash gives to {@code owner}. */
    static SimulatedCamera cameraOwnedBy(String owner, List<byte[]> frames) throws Exception {
        for (int i = 0; i < 40; i++) {
            SimulatedCamera c = a.camera(frames, 8, Duration.ofSeconds(15));
            if (Rendezvous.owner(LiveFixture.idOf(c), MEMBERS).orElseThrow().equals(owner)) {
                return c;
            }
            c.close();
            a.delete("/api/cameras/" + LiveFixture.idOf(c));
        }
        throw new AssertionError("no camera hashed to " + owner + " in 40 tries");
    }

    @Test
    void aGalleryChangeThroughOneReplicaIsMatchedByTheOtherWithinAHeartbeatAndASecond() throws Exception {
        SimulatedCamera cam = cameraOwnedBy("replica-b", LiveFixture.frames("howard", 1, 2, 3));
        String id = LiveFixture.idOf(cam);
        LiveFixture.eventually(Duration.ofSeconds(15), "streaming on b", () -> b.camera(id) != null && "streaming".equals(b.camera(id).get("state").asText()));
        BlockingQueue<JsonNode> onB = b.events();
        ApiClient apiA = new ApiClient(a.base(), LiveFixture.BASIC);
        String howard = apiA.postJson("/api/people", "{\"name\":\"Howard\"}").json().get("id").asText();
        long enrolled;
        try {
            assertEquals(201, apiA.upload("/api/people/" + howard + "/samples", "h.png", Files.readAllBytes(Fixtures.person("howard", 4))).status());
            enrolled = System.nanoTime();
            LiveFixture.waitUntil(HEARTBEAT.plusSeconds(1), "b's gallery has Howard", () -> b.server.gallery().size() == 1);
            System.out.printf("scale-out: enrolled on a, in b's gallery after %.0f ms%n", (System.nanoTime() - enrolled) / 1e6);
            // ...and b's camera names him.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean named = false;
            while (!named && System.nanoTime() < deadline) {
                JsonNode e = onB.poll(500, TimeUnit.MILLISECONDS);
                named = e != null && id.equals(e.path("camera").asText()) && "Howard".equals(e.path("person").asText());
            }
            assertTrue(named, "b's camera names the person enrolled through a");
        } finally {
            assertEquals(204, apiA.delete("/api/people/" + howard).status());
        }
        LiveFixture.waitUntil(HEARTBEAT.plusSeconds(1), "Howard gone from b's gallery", () -> b.server.gallery().size() == 0);
        cam.close();
    }

    @Test
    void oneStrangerSeenByCamerasOfBothReplicasBecomesOneVisitor() throws Exception {
        ApiClient before = new ApiClient(b.base(), LiveFixture.BASIC);
        Set<String> earlier = new HashSet<>(); // the replicas are shared by this class's tests
        before.get("/api/visitors").json().forEach(c -> earlier.add(c.path("id").asText()));
        SimulatedCamera onA = cameraOwnedBy("replica-a", LiveFixture.frames("stuart", 1, 2));
        SimulatedCamera onB = cameraOwnedBy("replica-b", LiveFixture.frames("stuart", 3, 4));
        ApiClient api = new ApiClient(b.base(), LiveFixture.BASIC);
        LiveFixture.eventually(Duration.ofSeconds(30), "a visitor with sightings from both cameras", () -> {
            for (JsonNode c : api.get("/api/visitors").json()) {
                if (c.path("cameras").asInt() == 2) {
                    return true;
                }
            }
            return false;
        });
        List<JsonNode> added = new ArrayList<>();
        api.get("/api/visitors").json().forEach(c -> {
            if (!earlier.contains(c.path("id").asText())) {
                added.add(c);
            }
        });
        assertEquals(1, added.size(), "one stranger, one visitor: " + added);
        onA.close();
        onB.close();
    }

    @Test
    void sightingsFromBothReplicasAtOnceNeverCollide() throws Exception {
        EventStore storeA = new EventStore(a.server.database());
        EventStore storeB = new EventStore(b.server.database());
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (EventStore s : List.of(storeA, storeB, storeA, storeB)) {
            writers.add(Thread.ofPlatform().start(() -> {
                Random r = new Random();
                for (int i = 0; i < 25; i++) {
                    float[] v = new float[512];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = (float) r.nextGaussian();
                    }
                    try {
                        ids.add(s.visitors().join("collision-test", normalise(v), 0.99f, System.currentTimeMillis()));
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        assertTrue(errors.isEmpty(), "no sighting failed: " + errors);
        assertEquals(100, new HashSet<>(ids).size(), "100 strangers, 100 visitors");
        Set<Long> numbers = new HashSet<>();
        storeA.visitors().list("collision-test").forEach(c -> numbers.add(c.number()));
        assertEquals(100, numbers.size(), "every visitor number distinct");
    }

    @Test
    void aLoginOnOneReplicaWorksOnTheOtherAndALogoutOnTheOtherEndsIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(a.base().resolve("/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + LiveFixture.ADMIN_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, status(http, b.base().resolve("/api/people"), session), "the session made on a is accepted by b");
        assertEquals(200, status(http, a.base().resolve("/api/people"), session));
        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(b.base().resolve("/logout")).header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, logout.statusCode());
        assertEquals(401, status(http, a.base().resolve("/api/people"), session), "logged out on b: ended on a too");
    }

    @Test
    void aCameraPulledByOneReplicaStreamsAndSnapshotsThroughTheOther() throws Exception {
        SimulatedCamera cam = cameraOwnedBy("replica-b", LiveFixture.frames("raj", 1, 2));
        String id = LiveFixture.idOf(cam);
        LiveFixture.eventually(Duration.ofSeconds(15), "a lists b's camera with its owner", () -> {
            JsonNode c = a.camera(id);
            return c != null && "replica-b".equals(c.path("owner").asText()) && "streaming".equals(c.path("state").asText());
        });
        assertTrue(a.server.registry().get(id).isEmpty(), "a does not pull it itself");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> snap = http.send(HttpRequest.newBuilder(a.base().resolve("/cameras/" + id + "/snapshot.jpg"))
                .header("Authorization", LiveFixture.BASIC).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, snap.statusCode());
        assertTrue((snap.body()[0] & 0xff) == 0xFF && (snap.body()[1] & 0xff) == 0xD8, "a JPEG from b's camera");
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(a.base().resolve("/cameras/" + id + "/stream"))
                .header("Authorization", LiveFixture.BASIC).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (InputStream in = stream.body()) {
            int parts = 0;
            byte[] buf = new byte[1 << 16];
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (parts < 3 && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                parts = seen.toString().split("Content-Type: image/jpeg", -1).length - 1;
            }
            assertTrue(parts >= 3, "relayed parts: " + parts);
        }
        assertEquals(1, cam.streamRequests(), "b pulls the camera once; a relays b's output, not the camera");
        // The peer interface is not open to anyone else.
        HttpResponse<String> guess = http.send(HttpRequest.newBuilder(b.base().resolve("/api/cameras?scope=local"))
                .header("X-Camserver-Peer", "not-the-secret-0000").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, guess.statusCode());
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(b.base().resolve("/api/cameras?scope=local"))
                .header("X-Camserver-Peer", "peer-secret-0123456789").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bare.statusCode(), "the secret itself, seen on the wire, opens nothing: only a token made with it does");
        cam.close();
    }

    private static int status(HttpClient http, URI uri, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
