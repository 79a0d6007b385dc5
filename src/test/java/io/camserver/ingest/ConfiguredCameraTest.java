package io.camserver.ingest;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.ingest.CameraSpec;
import io.camserver.sim.SimulatedCamera;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cameras from configuration: an MJPEG URL, and a snapshot URL polled at a set rate. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ConfiguredCameraTest {
    @Test
    void mjpegAndSnapshotCamerasFromConfigStream(@TempDir Path tmp) throws Exception {
        try (SimulatedCamera cam = new SimulatedCamera(LiveFixture.frames("stuart", 1, 2), 10, 0, null, "127.0.0.1",
                Duration.ofHours(1), InetAddress.getLoopbackAddress()).start()) {
            String base = "http://127.0.0.1:" + cam.port();
            // The simulated camera serves one stream at a time, like an ESP32, so the MJPEG and
            // snapshot cameras here point at the same device through its two endpoints.
            try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
                live.server.registry().add("door", URI.create(base + "/stream?token=" + cam.token()),
                        io.camserver.ingest.CameraSpec.Kind.MJPEG, Duration.ofMillis(500));
                live.server.registry().add("yard", URI.create(base + "/cam-hi.jpg?token=" + cam.token()),
                        io.camserver.ingest.CameraSpec.Kind.SNAPSHOT, Duration.ofMillis(200));
                live.server.registry().add("wrong-token", URI.create(base + "/cam-hi.jpg?token=nope"),
                        io.camserver.ingest.CameraSpec.Kind.SNAPSHOT, Duration.ofMillis(200));
                // A secret under a name nobody would guess (a common IP camera's CGI).
                live.server.registry().add("cgi", URI.create(base + "/videostream.cgi?loginuse=admin&loginpas=Cgi-S3cret&apikey=K3y"),
                        io.camserver.ingest.CameraSpec.Kind.MJPEG, Duration.ofMillis(500));
                LiveFixture.eventually(Duration.ofSeconds(10), "both streaming", () ->
                        "streaming".equals(live.camera("door").get("state").asText())
                                && "streaming".equals(live.camera("yard").get("state").asText())
                                && live.camera("yard").get("framesReceived").asLong() > 5);
                double fps = live.camera("yard").get("fps").asDouble();
                assertTrue(fps > 2 && fps < 7, "snapshot polling at ~5/s, was " + fps);
                assertEquals("config", live.camera("door").get("origin").asText());
                assertEquals("http://127.0.0.1:" + cam.port() + "/stream?token=***", live.camera("door").get("url").asText());
                String listed = live.get("/api/cameras").body();
                assertTrue(!listed.contains("Cgi-S3cret") && !listed.contains("K3y") && !listed.contains("loginuse=admin"), listed);
                assertTrue(listed.contains("/videostream.cgi?loginuse=***&loginpas=***&apikey=***"), listed);
                LiveFixture.eventually(Duration.ofSeconds(10), "wrong token reported", () ->
                        live.camera("wrong-token").get("lastError").asText("").contains("HTTP 401"));
                assertEquals(404, live.delete("/api/cameras/nope").statusCode());
                assertEquals(204, live.delete("/api/cameras/yard").statusCode());
                assertEquals(404, live.get("/api/cameras/yard").statusCode());
            }
        }
    }
}
