package io.camserver.ingest;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A self-registered camera gets a friendly name and a location through PATCH /api/cameras/{id};
 * the name is in the camera list, beside the id in live face events and in the sighting history,
 * and it is still there after a restart and the camera's re-registration. Bad names are refused
 * with the field named.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CameraNamesTest {
    @TempDir
    static Path tmp;

    @Test
    void aNameIsShownEverywhereAndKeptAcrossARestartAndReRegistration() throws Exception {
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, "penny", "raj");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // One server port for both runs, and one camera that lives through the restart and registers again.
        Map<String, String> settings = Map.of("gallery.dir", gallery.toString(), "server.port", String.valueOf(port));
        java.net.InetAddress own = LiveFixture.newCameraAddress();
        try (SimulatedCamera cam = new SimulatedCamera(LiveFixture.frames("penny", 4, 5), 5, 0, java.net.URI.create("http://127.0.0.1:" + port),
                own.getHostAddress(), Duration.ofSeconds(1), own)) {
            String id = LiveFixture.idOf(cam.start());
            try (LiveFixture live = LiveFixture.start(tmp, settings)) {
                ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
                BlockingQueue<JsonNode> events = live.events();
                LiveFixture.eventually(Duration.ofSeconds(20), id + " registered", () -> live.camera(id) != null);
                assertEquals(id, live.camera(id).get("name").asText(), "a camera without a label is called by its id");

                ApiClient.Reply named = api.patchJson("/api/cameras/" + id, "{\"name\":\"Front door\",\"location\":\"Hall, ground floor\"}");
                assertEquals(200, named.status(), named.body());
                assertEquals("Front door", live.camera(id).get("name").asText());
                assertEquals("Hall, ground floor", live.camera(id).get("location").asText());

                assertEquals(422, api.patchJson("/api/cameras/" + id, "{\"name\":\"bad\\u0007name\"}").status());
                ApiClient.Reply tooLong = api.patchJson("/api/cameras/" + id, "{\"name\":\"" + "x".repeat(61) + "\"}");
                assertEquals(422, tooLong.status());
                assertEquals("name", tooLong.json().get("field").asText());
                assertEquals(404, api.patchJson("/api/cameras/no-such-camera", "{\"name\":\"x\"}").status());
                assertEquals(409, api.patchJson("/api/cameras/" + id, "{\"url\":\"http://127.0.0.1:9/x\"}").status(),
                        "a registered camera's source is its own, only its name is ours");

                JsonNode face = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (face == null && System.nanoTime() < deadline) {
                    JsonNode e = events.poll(1, TimeUnit.SECONDS);
                    if (e != null && e.get("type").asText().equals("face") && e.get("camera").asText().equals(id)) {
                        face = e;
                    }
                }
                assertTrue(face != null, "a face event from " + id);
                assertEquals("Front door", face.get("cameraName").asText(), face.toString());
                LiveFixture.eventually(Duration.ofSeconds(20), "the sighting in the history", () -> api.get("/api/events").json().size() > 0);
                assertEquals("Front door", api.get("/api/events").json().get(0).get("cameraName").asText());
            }
            // The server restarts; the same camera registers again: same id, same name.
            try (LiveFixture live = LiveFixture.start(tmp, settings)) {
                LiveFixture.eventually(Duration.ofSeconds(20), id + " registered again", () -> live.camera(id) != null);
                assertEquals("Front door", live.camera(id).get("name").asText());
                assertEquals("Hall, ground floor", live.camera(id).get("location").asText());
            }
        }
    }
}
