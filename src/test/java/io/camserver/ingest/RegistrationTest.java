package io.camserver.ingest;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.ingest.CameraPuller;
import io.camserver.sim.Firmware;
import io.camserver.sim.SimulatedCamera;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration as the firmware does it, as an attacker would, and as a rebooted camera does. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class RegistrationTest {
    @TempDir
    static Path tmp;
    static LiveFixture live;

    @BeforeAll
    static void start() {
        live = LiveFixture.start(tmp, Map.of("registration.maxCameras", "4"));
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    /** Sends raw bytes and returns the raw reply, like the firmware's TCP client. */
    private static String raw(byte[] request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", live.server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String register(String query) throws Exception {
        return raw(("GET /register?" + query + " HTTP/1.1\r\nHost: microshift-cam-reg.local\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertRefused(String reply, int status, String reason) {
        assertTrue(reply.startsWith("HTTP/1.1 " + status + " "), reply);
        assertTrue(reply.endsWith(reason), "expected reason '" + reason + "' in:\n" + reply);
    }

    @Test
    void theFirmwaresExactBytesAreAnsweredWithAck() throws Exception {
        byte[] req = Firmware.registrationRequest("127.0.0.1:9", "0a1b2c3d");
        assertEquals("GET /register?ip=127.0.0.1:9&token=0a1b2c3d HTTP/1.1\r\nHost: microshift-cam-reg.local\r\nConnection: close\r\n\r\n",
                new String(req, StandardCharsets.US_ASCII));
        String reply = raw(req);
        assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n"), reply);
        assertTrue(reply.endsWith("\r\n\r\nACK"), reply);
        assertEquals(204, live.delete("/api/cameras/127-0-0-1-9").statusCode());
    }

    @Test
    void hostileRegistrationsAreRefusedWithAReasonAndTheServerStaysHealthy() throws Exception {
        SimulatedCamera good = live.camera(LiveFixture.frames("amy", 1, 2), 10, Duration.ofSeconds(15));
        String goodId = LiveFixture.idOf(good);
        LiveFixture.eventually(Duration.ofSeconds(10), "good camera streaming",
                () -> "streaming".equals(live.camera(goodId).get("state").asText()));
        long before = live.camera(goodId).get("framesReceived").asLong();

        assertRefused(register("ip=8.8.8.8&token=abcd1234"), 403, "ip 8.8.8.8 is outside the camera networks "
                + "[10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, ::1/128, fc00::/7]");
        assertRefused(register("ip=169.254.169.254&token=abcd1234"), 403, "ip 169.254.169.254 is outside the camera networks "
                + "[10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, ::1/128, fc00::/7]");
        assertRefused(register("ip=foo&token=abcd1234"), 400, "ip must be an IPv4 or IPv6 address with an optional :port (got 'foo')");
        assertRefused(register("ip=localhost&token=abcd1234"), 400,
                "ip must be an IPv4 or IPv6 address with an optional :port (got 'localhost')");
        assertRefused(register("ip=192.168.66.61:99999&token=abcd1234"), 400,
                "ip must be an IPv4 or IPv6 address with an optional :port (got '192.168.66.61:99999')");
        assertRefused(register("ip=192.168.66.61&token=" + "a".repeat(10_000)), 400,
                "token must be 1-64 characters of A-Z a-z 0-9 _ - (got 10000 characters)");
        assertRefused(register("ip=192.168.66.61&token=" + URLEncoder.encode("x\r\nSet-Cookie: a", StandardCharsets.UTF_8)), 400,
                "token must be 1-64 characters of A-Z a-z 0-9 _ - (got 'x??Set-Cookie: a')");
        assertRefused(register("token=abcd1234"), 400, "missing parameter: ip");
        assertRefused(register("ip=192.168.66.61"), 400, "missing parameter: token");

        assertEquals(List.of(goodId), ids(), "no camera was created by any of them");
        assertEquals(200, live.get("/healthz").statusCode());
        LiveFixture.eventually(Duration.ofSeconds(5), "good camera still streaming",
                () -> live.camera(goodId).get("framesReceived").asLong() > before + 10);
        good.close();
        live.delete("/api/cameras/" + goodId);
    }

    @Test
    void theCameraLimitIsEnforced() throws Exception {
        List<java.net.InetAddress> cams = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cams.add(LiveFixture.newCameraAddress());
        }
        for (int i = 0; i < 4; i++) {
            String ip = cams.get(i).getHostAddress();
            assertEquals("ACK", live.register(cams.get(i), "ip=" + ip + "&token=abcd1234").body());
        }
        LiveFixture.Raw fifth = live.register(cams.get(4), "ip=" + cams.get(4).getHostAddress() + "&token=abcd1234");
        assertEquals(429, fifth.status());
        assertEquals("camera limit of 4 reached (registration.maxCameras)", fifth.body());
        for (int i = 0; i < 4; i++) {
            assertEquals(204, live.delete("/api/cameras/" + cams.get(i).getHostAddress().replace('.', '-')).statusCode());
        }
    }

    @Test
    void twentyReRegistrationsLeaveExactlyOnePuller() throws Exception {
        SimulatedCamera cam = live.camera(LiveFixture.frames("raj", 1), 5, Duration.ofHours(1));
        String id = LiveFixture.idOf(cam);
        LiveFixture.eventually(Duration.ofSeconds(10), "camera streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));
        CameraPuller puller = live.server.registry().get(id).orElseThrow().puller();
        for (int i = 0; i < 20; i++) {
            cam.registerOnce();
        }
        assertEquals(21, cam.registrations());
        // Time for a duplicate puller to show, measured by the camera's own progress: 10 more frames.
        long sent = cam.framesSent();
        LiveFixture.waitUntil(Duration.ofSeconds(10), "10 more frames sent", () -> cam.framesSent() >= sent + 10);
        assertEquals(1, cam.streamRequests(), "the camera saw one stream client: no duplicate puller connected");
        assertSame(puller, live.server.registry().get(id).orElseThrow().puller());
        assertTrue(puller.alive());
        assertEquals(1, ids().stream().filter(id::equals).count());
        assertEquals(0, live.camera(id).get("reconnects").asLong());
        cam.close();
        live.delete("/api/cameras/" + id);
    }

    @Test
    void aRebootedCameraWithANewTokenIsFollowed() throws Exception {
        SimulatedCamera first = live.camera(LiveFixture.frames("howard", 1), 5, Duration.ofHours(1));
        String id = LiveFixture.idOf(first);
        LiveFixture.eventually(Duration.ofSeconds(10), "streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));
        String oldToken = first.token();
        int port = first.port();
        first.close();
        // same address, new boot: a new random token, registering at once
        SimulatedCamera second = new SimulatedCamera(LiveFixture.frames("howard", 2), 5, port, live.base(), first.advertisedIp(),
                Duration.ofHours(1), java.net.InetAddress.getByName(first.advertisedIp()));
        try {
            // The old connection's port stays taken until the server has closed its end too.
            LiveFixture.eventually(Duration.ofSeconds(10), "the camera's port free again", () -> {
                try {
                    second.start();
                    return true;
                } catch (java.net.BindException e) {
                    return false;
                }
            });
            assertTrue(!second.token().equals(oldToken));
            LiveFixture.eventually(Duration.ofSeconds(10), "streaming with the new token",
                    () -> second.framesSent() > 5 && "streaming".equals(live.camera(id).get("state").asText()));
            assertEquals(second.token(), live.server.registry().get(id).orElseThrow().token().orElseThrow());
        } finally {
            second.close();
            live.delete("/api/cameras/" + id);
        }
    }

    @Test
    void aSharedRegistrationKeyIsRequiredWhenConfigured(@TempDir Path other) throws Exception {
        try (LiveFixture keyed = LiveFixture.start(other, Map.of("registration.key", "s3cret-key"))) {
            var http = java.net.http.HttpClient.newHttpClient();
            var bare = http.send(java.net.http.HttpRequest.newBuilder(keyed.base().resolve("/register?ip=10.1.1.1&token=ab12cd34")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, bare.statusCode());
            assertEquals("registration key required (parameter key)", bare.body());
            var wrong = keyed.get("/register?ip=10.1.1.1&token=ab12cd34&key=nope");
            assertEquals(401, wrong.statusCode());
            assertEquals("wrong registration key", wrong.body());
            assertEquals("ACK", keyed.get("/register?ip=127.0.0.1:9&token=ab12cd34&key=s3cret-key").body());
        }
    }

    private static List<String> ids() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        live.cameras().forEach(c -> out.add(c.get("id").asText()));
        return out;
    }
}
