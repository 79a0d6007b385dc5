package io.camserver.gallery;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a face gets into (and out of) the gallery, through the API. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class EnrollmentSourcesTest {
    @Test
    void liveFrameEventFolderExportRejectAndModelChange(@TempDir Path tmp) throws Exception {
        Path folder = LiveFixture.gallery(tmp.resolve("data/folder"), 1, 2, "amy", "raj"); // inside the data directory: imports read only there
        String howardId;
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);

            // bulk import of the demo layout
            ApiClient.Reply imported = api.postJson("/api/people/import", "{\"dir\":\"" + folder + "\"}");
            assertEquals(200, imported.status(), imported.body());
            assertEquals(4, imported.json().get("enrolled").asInt());
            assertEquals(2, imported.json().get("people").asInt());

            // from a live camera's current frame
            SimulatedCamera cam = live.camera(LiveFixture.frames("howard", 1, 2), 10, Duration.ofSeconds(15));
            String camId = LiveFixture.idOf(cam);
            howardId = api.postJson("/api/people", "{\"name\":\"howard\"}").json().get("id").asText();
            LiveFixture.eventually(Duration.ofSeconds(10), "a frame", () -> live.server.analysis().latestFrame(camId).isPresent());
            ApiClient.Reply fromCam = api.postJson("/api/people/" + howardId + "/samples/from-camera", "{\"camera\":\"" + camId + "\"}");
            assertEquals(201, fromCam.status(), fromCam.body());
            assertEquals("camera " + camId, fromCam.json().get("source").asText());

            // several faces in view: they come back as pictures, and the answer enrolls from that same frame
            SimulatedCamera two = live.camera(List.of(io.camserver.support.TestImages.sideBySide(Fixtures.person("penny", 1),
                    Fixtures.person("stuart", 1))), 5, Duration.ofSeconds(15));
            String twoId = LiveFixture.idOf(two);
            LiveFixture.eventually(Duration.ofSeconds(10), "a frame", () -> live.server.analysis().latestFrame(twoId).isPresent());
            ApiClient.Reply which = api.postJson("/api/people/" + howardId + "/samples/from-camera", "{\"camera\":\"" + twoId + "\"}");
            assertEquals(422, which.status(), which.body());
            assertEquals(2, which.json().get("faces").size(), which.body());
            for (JsonNode f : which.json().get("faces")) {
                HttpResponse<byte[]> crop = HttpClient.newHttpClient().send(HttpRequest.newBuilder(live.base().resolve(f.get("crop").asText()))
                        .header("Authorization", LiveFixture.BASIC).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, crop.statusCode(), f.toString());
                assertEquals("image/jpeg", crop.headers().firstValue("Content-Type").orElse(""));
                java.awt.image.BufferedImage face = javax.imageio.ImageIO.read(new ByteArrayInputStream(crop.body()));
                assertTrue(face.getWidth() < 640 && face.getWidth() >= f.get("box").get(2).asInt(), "a face, not the frame: " + face.getWidth());
            }
            two.close();
            ApiClient.Reply picked = api.postJson("/api/people/" + howardId + "/samples/from-camera", "{\"camera\":\"" + twoId
                    + "\",\"face\":1,\"frame\":\"" + which.json().get("frame").asText() + "\"}");
            assertEquals(201, picked.status(), "the kept frame, though the camera is gone: " + picked.body());
            assertEquals(204, api.delete("/api/samples/" + picked.json().get("id").asText()).status());

            // the camera's sightings become named, and are searchable by person
            LiveFixture.eventually(Duration.ofSeconds(20), "a named sighting of howard",
                    () -> api.get("/api/events?person=" + howardId).json().size() > 0);
            JsonNode ev = api.get("/api/events?person=" + howardId).json().get(0);
            assertEquals("howard", ev.get("person").asText());
            assertEquals(200, api.get(ev.get("thumbnail").asText()).status());
            assertEquals(200, api.get(ev.get("snapshot").asText()).status());

            // from a past event, then "not this person" takes it back out
            ApiClient.Reply fromEvent = api.postJson("/api/people/" + howardId + "/samples/from-event", "{\"event\":\"" + ev.get("id").asText() + "\"}");
            assertEquals(201, fromEvent.status(), fromEvent.body());
            assertEquals(2, api.get("/api/people/" + howardId).json().get("samples").asInt());
            ApiClient.Reply rejected = api.postJson("/api/events/" + ev.get("id").asText() + "/reject", "{}");
            assertEquals(1, rejected.json().get("samplesRemoved").asInt(), rejected.body());
            assertEquals(1, api.get("/api/people/" + howardId).json().get("samples").asInt());

            // export: everything stored about a person
            HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(live.base().resolve("/api/people/" + howardId
                    + "/export")).header("Authorization", LiveFixture.BASIC).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, zip.statusCode());
            List<String> entries = new ArrayList<>();
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
                for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                    entries.add(e.getName());
                }
            }
            assertTrue(entries.contains("person.json") && entries.stream().anyMatch(n -> n.startsWith("samples/")), entries.toString());

            // the OpenAPI document describes the API
            JsonNode openapi = LiveFixture.JSON.readTree(live.get("/openapi.json").body());
            assertEquals("3.1.0", openapi.get("openapi").asText());
            for (String path : List.of("/api/people", "/api/people/{id}/samples", "/api/identify", "/api/events", "/api/visitors/{id}/name")) {
                assertTrue(openapi.get("paths").has(path), path);
            }
            JsonNode privacy = api.get("/api/privacy").json();
            assertEquals(30, privacy.get("retentionDays").asInt());
            assertEquals(false, privacy.get("faceDataLeavesDevice").asBoolean(), "SQLite, no MQTT, no webhooks: nothing leaves");
            assertEquals(0, privacy.get("sentTo").size());

            // pretend the samples were made by an older model
            try (Connection c = live.server.database().connection();
                 PreparedStatement ps = c.prepareStatement("UPDATE samples SET model_id = 'fr-feature@000000000000', embedding = ?")) {
                ps.setBytes(1, new byte[512 * 4]);
                ps.executeUpdate();
            }
        }
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            for (JsonNode s : api.get("/api/people/" + howardId + "/samples").json()) {
                assertEquals(live.server.galleryService().modelId(), s.get("modelId").asText(), "re-embedded from the stored crop");
            }
            JsonNode named = api.upload("/api/identify", "raj3.png", Files.readAllBytes(Fixtures.person("raj", 3))).json();
            assertEquals("raj", named.get("faces").get(0).get("name").asText(), "recognition works after re-embedding: " + named);
        }
    }
}
