package io.camserver.ingest;

import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile camera that tries to leave a zombie behind: one JPEG, then 20,000 empty text parts in
 * a row (a recursive parser overflowed its stack on them and the camera stayed "streaming"
 * forever), then text parts trickling in so the socket never times out. The camera must go
 * offline with the reason within {@code ingest.staleAfter}, be reconnected, and never hold its
 * slot, while a real camera streams on.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ZombieStreamTest {
    @Test
    void aCameraThatSendsNoFrameAfterTheFirstIsMarkedOfflineAndReconnected(@TempDir Path tmp) throws Exception {
        byte[] jpeg = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
        byte[] empty = "--b\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            flood.write(empty);
        }
        FakeCamera.Behaviour zombie = out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(("--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(jpeg);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            flood.writeTo(out);
            out.flush();
            for (int i = 0; i < 600; i++) { // bytes keep coming, frames never do
                out.write(empty);
                out.flush();
                Thread.sleep(200);
            }
        };
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("ingest.staleAfter", "2s"));
             FakeCamera z = new FakeCamera(zombie, LiveFixture.newCameraAddress())) {
            SimulatedCamera good = live.camera(LiveFixture.frames("penny", 1, 2), 10, Duration.ofSeconds(15));
            String goodId = LiveFixture.idOf(good);
            assertEquals("ACK", z.registerWith(live.server.port(), "feedbeef").body());
            String id = z.id();
            LiveFixture.eventually(Duration.ofSeconds(15), "the zombie marked offline with the reason", () -> {
                var c = live.camera(id);
                return "offline".equals(c.get("state").asText())
                        && c.get("lastError").asText("").equals("no frame for 2.0 s (ingest.staleAfter)");
            });
            LiveFixture.eventually(Duration.ofSeconds(15), "reconnected: the camera saw a second connection",
                    () -> z.connections() >= 2 && live.camera(id).get("reconnects").asLong() >= 1);
            assertTrue(live.server.registry().get(id).orElseThrow().puller().alive(), "the puller lives on");
            assertTrue(live.camera(id).get("framesReceived").asLong() >= 2, "one frame per connection, counted");
            long goodFrames = live.camera(goodId).get("framesReceived").asLong();
            LiveFixture.eventually(Duration.ofSeconds(5), "the real camera keeps streaming",
                    () -> live.camera(goodId).get("framesReceived").asLong() > goodFrames + 10);
        }
    }

}
