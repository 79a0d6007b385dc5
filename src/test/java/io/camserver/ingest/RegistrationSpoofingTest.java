package io.camserver.ingest;

import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest on the camera network registering what is not theirs: re-pointing a real camera to a
 * wrong token, making the server connect to another host (a port scanner of the LAN), filling the
 * camera table, and lying about their address through X-Forwarded-For. Each machine is a
 * loopback address of its own (127.0.0.x); the real cameras keep streaming throughout.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class RegistrationSpoofingTest {
    private static String query(InetAddress ip, int port, String token) {
        return "ip=" + ip.getHostAddress() + ":" + port + "&token=" + token;
    }

    @Test
    void aGuestCannotRepointARealCameraNorMakeTheServerConnectToAnotherHost(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of());
             FakeCamera probed = new FakeCamera(out -> out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes()), LiveFixture.newCameraAddress())) {
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 1, 2), 10, Duration.ofHours(1));
            String id = LiveFixture.idOf(cam);
            LiveFixture.eventually(Duration.ofSeconds(10), "camera streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));
            InetAddress guest = LiveFixture.newCameraAddress();

            LiveFixture.Raw repoint = live.register(guest, query(InetAddress.getByName(cam.advertisedIp()), cam.port(), "evil1234"));
            assertEquals(403, repoint.status());
            assertEquals("ip " + cam.advertisedIp() + " is not the address this request came from (" + guest.getHostAddress()
                    + "): a camera registers its own address", repoint.body());
            LiveFixture.Raw scan = live.register(guest, query(probed.address(), probed.port(), "abcd1234"));
            assertEquals(403, scan.status(), scan.body());

            long frames = live.camera(id).get("framesReceived").asLong();
            LiveFixture.eventually(Duration.ofSeconds(5), "the camera keeps streaming",
                    () -> live.camera(id).get("framesReceived").asLong() > frames + 10);
            assertEquals(cam.token(), live.server.registry().get(id).orElseThrow().token().orElseThrow(), "token unchanged");
            assertEquals(1, cam.streamRequests(), "the camera was never reconnected");
            assertEquals(0, probed.connections(), "the server never connected to the probed host");
            assertEquals(1, live.cameras().size(), "nothing was added");
        }
    }

    @Test
    void oneAddressCannotFillTheCameraTable(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("registration.maxCameras", "8"))) {
            InetAddress guest = LiveFixture.newCameraAddress();
            for (int port = 1001; port <= 1004; port++) {
                assertEquals("ACK", live.register(guest, query(guest, port, "abcd1234")).body());
            }
            LiveFixture.Raw fifth = live.register(guest, query(guest, 1005, "abcd1234"));
            assertEquals(429, fifth.status());
            assertEquals("4 cameras are already registered from " + guest.getHostAddress()
                    + ", the limit of 4 (registration.maxPerAddress)", fifth.body());
            assertEquals("ACK", live.register(guest, query(guest, 1001, "abcd1234")).body(), "a known entry still refreshes");
            // A real camera elsewhere still gets in and streams.
            SimulatedCamera cam = live.camera(LiveFixture.frames("raj", 1), 10, Duration.ofSeconds(15));
            LiveFixture.eventually(Duration.ofSeconds(10), "real camera streaming",
                    () -> "streaming".equals(live.camera(LiveFixture.idOf(cam)).get("state").asText()));
            assertEquals(5, live.cameras().size());
        }
    }

    @Test
    void registrationsThatNeverStreamExpireWhileStreamingCamerasStay(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("registration.expireAfter", "2s"))) {
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 1), 10, Duration.ofHours(1)); // registers once only
            String id = LiveFixture.idOf(cam);
            InetAddress guest = LiveFixture.newCameraAddress();
            List<String> fakes = new ArrayList<>();
            for (int port = 2001; port <= 2003; port++) {
                assertEquals("ACK", live.register(guest, query(guest, port, "abcd1234")).body());
                fakes.add(LiveFixture.idOf(guest, port));
            }
            LiveFixture.eventually(Duration.ofSeconds(15), "the entries that never streamed are gone", () -> {
                List<String> ids = new ArrayList<>();
                live.cameras().forEach(c -> ids.add(c.get("id").asText()));
                return ids.stream().noneMatch(fakes::contains);
            });
            assertEquals("streaming", live.camera(id).get("state").asText(), "a streaming camera is never expired");
            // The freed slots are usable again: the cap counts live entries only.
            assertEquals("ACK", live.register(guest, query(guest, 2001, "abcd1234")).body());
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsRightMostHop(@TempDir Path tmp) throws Exception {
        InetAddress router = LiveFixture.newCameraAddress();
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("server.trustedProxies", router.getHostAddress() + "/32"))) {
            InetAddress camera = LiveFixture.newCameraAddress();
            InetAddress guest = LiveFixture.newCameraAddress();
            // Through the router: the camera's address is the hop the router appended.
            assertEquals("ACK", live.register(router, query(camera, 3001, "abcd1234"), "X-Forwarded-For: " + camera.getHostAddress()).body());
            // Through the router, a guest that wrote a camera's address in front of its own: the router's hop wins.
            LiveFixture.Raw spoofed = live.register(router, query(camera, 3002, "abcd1234"),
                    "X-Forwarded-For: " + camera.getHostAddress() + ", " + guest.getHostAddress());
            assertEquals(403, spoofed.status());
            assertTrue(spoofed.body().contains("came from (" + guest.getHostAddress() + ")"), spoofed.body());
            // Straight to the server, the header is the guest's own words and is ignored.
            LiveFixture.Raw direct = live.register(guest, query(camera, 3003, "abcd1234"), "X-Forwarded-For: " + camera.getHostAddress());
            assertEquals(403, direct.status(), direct.body());
            // A hop that is not an address is refused with a reason.
            LiveFixture.Raw junk = live.register(router, query(camera, 3004, "abcd1234"), "X-Forwarded-For: unknown");
            assertEquals(400, junk.status(), junk.body());
            List<String> ids = new ArrayList<>();
            live.cameras().forEach(c -> ids.add(c.get("id").asText()));
            assertEquals(List.of(LiveFixture.idOf(camera, 3001)), ids);
            assertFalse(live.get("/metrics").body().lines().noneMatch(l -> l.startsWith("camserver_registrations_total{result=\"refused\"} 3")),
                    "refusals are counted");
        }
    }
}
