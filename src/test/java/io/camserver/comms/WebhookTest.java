package io.camserver.comms;

import io.camserver.app.UsageException;
import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks from the config file: a receiver gets each event it asked for, signed so that it can
 * tell camserver's from anyone's; a receiver that fails is retried, backing off, until the event
 * is older than the hook's maxAge, then given up on, counted, without holding anything else up;
 * deliveries to a receiver that is down wait on disk, also across a restart of camserver.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class WebhookTest {
    private static final String SECRET = "webhook-shared-secret-123";

    record Delivery(String event, String timestamp, String signature, byte[] body) {
    }

    /** What a receiver computes: HMAC-SHA256 of "<timestamp>.<body>" with the shared secret. */
    private static String hmac(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void signedEventsReachTheirReceiverAndAFailingOneIsRetriedThenDropped(@TempDir Path tmp) throws Exception {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            got.add(new Delivery(ex.getRequestHeaders().getFirst("X-Camserver-Event"), ex.getRequestHeaders().getFirst("X-Camserver-Timestamp"),
                    ex.getRequestHeaders().getFirst("X-Camserver-Signature"), ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/broken", ex -> {
            failures.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        receiver.start();
        Path secretFile = Files.writeString(tmp.resolve("hook-secret"), SECRET + "\n");
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Path config = Files.writeString(tmp.resolve("camserver.yaml"), """
                webhooks:
                  - url: %s/hook?token=in-the-query
                    events: [face, camera-online]
                    secretFile: %s
                  - url: %s/broken
                    events: camera-online
                    secret: %s
                    maxAge: 10s
                """.formatted(base, secretFile, base, SECRET));
        try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
            live.camera(LiveFixture.frames("amy", 1, 2), 10, Duration.ofSeconds(15));
            LiveFixture.eventually(Duration.ofSeconds(20), "a face and a camera-online delivered",
                    () -> got.stream().anyMatch(d -> "face".equals(d.event())) && got.stream().anyMatch(d -> "camera-online".equals(d.event())));
            long now = System.currentTimeMillis() / 1000;
            for (Delivery d : got) {
                long stamped = Long.parseLong(d.timestamp());
                assertTrue(Math.abs(now - stamped) < io.camserver.comms.Webhooks.REPLAY_WINDOW.toSeconds(), "stamped now: " + stamped);
                assertEquals(hmac(d.timestamp(), d.body()), d.signature(), "the timestamp and the body are signed with the shared secret");
                // A replay: the same body under a later timestamp (to get past the window) fails the check.
                assertTrue(!hmac(String.valueOf(stamped + 600), d.body()).equals(d.signature()), "a replayed body cannot be restamped");
                JsonNode e = LiveFixture.JSON.readTree(d.body());
                assertEquals(d.event(), e.path("type").asText());
                if (d.event().equals("face")) {
                    assertTrue(e.has("person") && e.has("similarity") && e.has("event") && e.path("box").size() == 4, e.toString());
                }
            }
            // The broken receiver: tries at 0, 1, 3 and 7 s; the next would be at 15 s, past its
            // maxAge of 10 s, so the event is dropped and counted.
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            LiveFixture.eventually(Duration.ofSeconds(30), "the broken hook given up on", () -> {
                JsonNode hooks = api.get("/api/integrations").json().path("webhooks");
                return hooks.size() == 2 && hooks.get(1).path("dropped").asLong() >= 1;
            });
            JsonNode hooks = api.get("/api/integrations").json().path("webhooks");
            assertEquals(base + "/hook", hooks.get(0).path("url").asText(), "the query (which may hold a token) is not shown");
            assertEquals(4, failures.get(), "one try and three retries within maxAge");
            assertEquals(0, hooks.get(1).path("waiting").asInt(), "nothing waits once given up");
            assertEquals(4, hooks.get(1).path("failed").asLong());
            assertEquals("HTTP 500", hooks.get(1).path("lastError").asText());
            assertTrue(hooks.get(0).path("sent").asLong() >= 2);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void deliveriesForAReceiverThatIsDownWaitOnDiskAcrossARestart(@TempDir Path tmp) throws Exception {
        int port;
        try (java.net.ServerSocket reserve = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = reserve.getLocalPort(); // nobody listens here until the receiver comes up
        }
        Path config = Files.writeString(tmp.resolve("camserver.yaml"), """
                webhooks:
                  - url: http://127.0.0.1:%d/hook
                    events: [face, camera-online]
                    secret: %s
                """.formatted(port, SECRET));
        String eventId;
        try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            var events = live.events();
            live.camera(LiveFixture.frames("amy", 1, 2), 10, Duration.ofSeconds(15));
            JsonNode face = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (face == null && System.nanoTime() < deadline) {
                JsonNode e = events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                face = e != null && "face".equals(e.path("type").asText()) ? e : null;
            }
            assertTrue(face != null, "a face decided while the receiver is down");
            eventId = face.path("event").asText();
            LiveFixture.eventually(Duration.ofSeconds(20), "the deliveries waiting, the receiver refused", () -> {
                JsonNode hook = api.get("/api/integrations").json().path("webhooks").get(0);
                return hook.path("waiting").asInt() >= 2 && "connection refused".equals(hook.path("lastError").asText());
            });
        }
        // camserver is stopped; the receiver comes up; camserver starts again with the same data directory.
        List<Delivery> got = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        receiver.createContext("/hook", ex -> {
            got.add(new Delivery(ex.getRequestHeaders().getFirst("X-Camserver-Event"), ex.getRequestHeaders().getFirst("X-Camserver-Timestamp"),
                    ex.getRequestHeaders().getFirst("X-Camserver-Signature"), ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try (LiveFixture again = LiveFixture.start(tmp, Map.of(), config)) {
            LiveFixture.eventually(Duration.ofSeconds(20), "the face from before the restart delivered",
                    () -> got.stream().anyMatch(d -> new String(d.body(), StandardCharsets.UTF_8).contains("\"event\":\"" + eventId + "\"")));
            Delivery first = got.get(0);
            assertEquals("camera-online", first.event(), "in the order they happened: the camera came online before the face");
            assertEquals(hmac(first.timestamp(), first.body()), first.signature(), "signed when sent, inside the receiver's window");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aWebhookWithoutASecretIsRefusedAtStart(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("camserver.yaml"), "webhooks:\n  - url: http://127.0.0.1:9/x\n    events: [face]\n");
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> LiveFixture.start(tmp, Map.of(), config));
        assertEquals("webhooks: http://127.0.0.1:9/x: secret (or secretFile) of at least 16 characters is required", e.getMessage());
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "webhooks:\n  - url: http://127.0.0.1:9/x\n    events: [faces]\n    secret: "
                + SECRET + "\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> LiveFixture.start(tmp, Map.of(), bad));
        assertEquals("webhooks: http://127.0.0.1:9/x: event 'faces' is not one of [face, unknown, camera-online, camera-offline]", e.getMessage());
    }
}
