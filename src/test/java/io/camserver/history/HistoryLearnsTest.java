package io.camserver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History that learns, and search by face. A camera showed someone nobody had enrolled; after it
 * has gone, enrolling that person from one photo names the earlier sightings, marked as named
 * later, without announcing them again. A photo of a person finds, first, the camera that saw them.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class HistoryLearnsTest {
    private static final Duration SOON = Duration.ofSeconds(30);

    @Test
    void enrollingSomeoneNamesTheirEarlierSightingsAndAPhotoFindsWhereTheyWereSeen(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            // Someone else is enrolled, so the gallery is not empty and Leonard is a stranger to it.
            String amy = api.postJson("/api/people", "{\"name\":\"Amy\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + amy + "/samples", "amy1.png", Files.readAllBytes(Fixtures.person("amy", 1))).status());
            var cam = live.camera(LiveFixture.frames("leonard", 2, 3, 4), 10, Duration.ofSeconds(15));
            String camera = LiveFixture.idOf(cam);
            var other = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
            String otherCamera = LiveFixture.idOf(other);
            LiveFixture.eventually(SOON, "Leonard's sightings recorded as unknown", () -> !sightings(api, camera).isEmpty()
                    && sightings(api, camera).stream().allMatch(e -> e.path("personId").isNull()));
            LiveFixture.eventually(SOON, "Amy seen on the other camera", () -> !sightings(api, otherCamera).isEmpty());
            cam.close();
            other.close();
            List<JsonNode> before = sightings(api, camera);

            BlockingQueue<JsonNode> events = live.events();
            String leonard = api.postJson("/api/people", "{\"name\":\"Leonard\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + leonard + "/samples", "leonard1.png",
                    Files.readAllBytes(Fixtures.person("leonard", 1))).status());
            LiveFixture.eventually(Duration.ofSeconds(60), "at least 80 % of the earlier sightings named Leonard, later", () -> {
                List<JsonNode> now = sightings(api, camera);
                long named = now.stream().filter(e -> leonard.equals(e.path("personId").asText()) && e.path("relabelled").asBoolean()
                        && e.path("relabelledAt").isNumber()).count();
                return named * 5 >= before.size() * 4;
            });
            assertTrue(sightings(api, otherCamera).stream().noneMatch(e -> leonard.equals(e.path("personId").asText())), "Amy stays Amy");
            for (JsonNode e = events.poll(1, TimeUnit.SECONDS); e != null; e = events.poll(200, TimeUnit.MILLISECONDS)) {
                assertTrue(!"face".equals(e.path("type").asText()), "an old sighting named later is not announced: " + e);
            }

            // Search by face: a photo of Leonard (not one the camera showed) finds that camera first.
            ApiClient.Reply byPhoto = api.upload("/api/search/faces", "leonard5.png", Files.readAllBytes(Fixtures.person("leonard", 5)));
            assertEquals(200, byPhoto.status(), byPhoto.body());
            JsonNode results = byPhoto.json().path("results");
            assertTrue(results.size() >= 1, byPhoto.body());
            assertEquals(camera, results.get(0).path("camera").asText(), "the top result is where Leonard was seen: " + byPhoto.body());
            assertEquals("Leonard", results.get(0).path("person").asText());
            for (int i = 1; i < results.size(); i++) {
                assertTrue(results.get(i - 1).path("similarity").asDouble() >= results.get(i).path("similarity").asDouble(), "best first");
            }
            // By a sighting: the same, and the sighting itself comes first (it is most like itself).
            String sighting = before.get(0).path("id").asText();
            ApiClient.Reply byEvent = api.postJson("/api/search/faces", "{\"event\":\"" + sighting + "\",\"limit\":5}");
            assertEquals(200, byEvent.status(), byEvent.body());
            assertEquals(sighting, byEvent.json().path("results").get(0).path("event").asText());
            assertTrue(byEvent.json().path("results").size() <= 5);
            ApiClient.Reply noFace = api.upload("/api/search/faces", "wall.jpg", io.camserver.support.TestImages.png(64, 64, new byte[64 * 64]));
            assertEquals(422, noFace.status(), noFace.body());

            // Visits: Leonard's sightings on that camera are one visit.
            JsonNode visits = api.get("/api/visits?camera=" + camera).json();
            assertEquals(1, visits.size(), visits.toString());
            assertEquals("Leonard", visits.get(0).path("person").asText());
            assertEquals(sightings(api, camera).size(), visits.get(0).path("sightings").asInt());

            // Calibration from the gallery's own samples (one each here: too few to suggest, and it says so).
            JsonNode cal = api.get("/api/calibration").json();
            assertTrue(cal.path("suggestedThreshold").isNumber() && cal.path("closestPairs").size() == 1, cal.toString());
            assertEquals(java.util.Set.of("Amy", "Leonard"), java.util.Set.of(cal.path("closestPairs").get(0).path("a").asText(),
                    cal.path("closestPairs").get(0).path("b").asText()));
            assertTrue(cal.path("warnings").toString().contains("Amy has one sample"), cal.toString());
        }
    }

    private static List<JsonNode> sightings(ApiClient api, String camera) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/events?camera=" + camera + "&limit=500").json().forEach(out::add);
        return out;
    }
}
