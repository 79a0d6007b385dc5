package io.camserver.history;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
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
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** A stranger seen again and again becomes one "unknown #N" that can be named in one action. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class VisitorsTest {
    @Test
    void fiveSightingsOfAStrangerFormOneVisitorAndNamingItNamesTheNextSighting(@TempDir Path tmp) throws Exception {
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, "amy", "penny", "raj", "leonard", "sheldon", "howard", "bernadette");
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString()))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            BlockingQueue<JsonNode> events = live.events();
            // Each of stuart's 5 photos for 1 s, then 2 s of empty frames: five separate sightings.
            byte[] empty = emptyFrame();
            List<byte[]> frames = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                byte[] face = LiveFixture.frames("stuart", i).get(0);
                for (int k = 0; k < 10; k++) {
                    frames.add(face);
                }
                for (int k = 0; k < 20; k++) {
                    frames.add(empty);
                }
            }
            SimulatedCamera cam = live.camera(frames, 10, Duration.ofSeconds(15));
            String camId = LiveFixture.idOf(cam);

            LiveFixture.eventually(Duration.ofSeconds(30), "five sightings of the stranger", () -> {
                JsonNode ev = api.get("/api/events?camera=" + camId + "&unknown=true").json();
                return ev.size() >= 5;
            });
            JsonNode visitors = api.get("/api/visitors").json();
            assertEquals(1, visitors.size(), "one visitor: " + visitors);
            JsonNode visitor = visitors.get(0);
            assertTrue(visitor.get("sightings").asInt() >= 5, visitor.toString());
            assertTrue(visitor.get("label").asText().startsWith("unknown #"), visitor.toString());
            assertEquals(1, visitor.get("cameras").asInt());
            assertEquals(200, api.get(visitor.get("thumbnail").asText()).status());
            for (JsonNode e : api.get("/api/events?camera=" + camId).json()) {
                assertEquals("unknown", e.get("person").asText(), "nobody enrolled was named: " + e);
            }

            // Groups seen at least twice (the Unknown page's grid); hidden ones listed apart until shown again.
            String vid = visitor.get("id").asText();
            assertEquals(1, api.get("/api/visitors?minSightings=2").json().size());
            assertEquals(0, api.get("/api/visitors?minSightings=1000").json().size());
            assertEquals(204, api.postJson("/api/visitors/" + vid + "/hide", "{\"hidden\":true}").status());
            assertEquals(0, api.get("/api/visitors").json().size(), "a hidden group is not among the faces to name");
            JsonNode hidden = api.get("/api/visitors?hidden=true").json();
            assertEquals(1, hidden.size(), hidden.toString());
            assertTrue(hidden.get(0).get("hidden").asBoolean(), hidden.toString());
            assertEquals(204, api.postJson("/api/visitors/" + vid + "/hide", "{\"hidden\":false}").status());
            assertEquals(1, api.get("/api/visitors").json().size(), "shown again");
            assertEquals(404, api.postJson("/api/visitors/no-such-group/hide", "{}").status());
            // One face forgotten: gone from the history with its pictures; the group keeps the others.
            JsonNode groupFaces = api.get("/api/events?visitor=" + vid + "&limit=50").json();
            String forgotten = groupFaces.get(groupFaces.size() - 1).get("id").asText();
            assertEquals(204, api.delete("/api/events/" + forgotten).status());
            assertEquals(404, api.get("/api/events/" + forgotten + "/thumbnail.jpg").status());
            assertEquals(404, api.delete("/api/events/" + forgotten).status());
            for (JsonNode e : api.get("/api/events?visitor=" + vid + "&limit=50").json()) {
                assertTrue(!e.get("id").asText().equals(forgotten), "deleted sighting still listed: " + e);
            }

            // A name that is someone's already is not silently added to them: 409 naming that person, until the user says so.
            String stuartId = api.postJson("/api/people", "{\"name\":\"Stuart Bloom\"}").json().get("id").asText();
            ApiClient.Reply taken = api.postJson("/api/visitors/" + visitor.get("id").asText() + "/name", "{\"name\":\" stuart bloom\"}");
            assertEquals(409, taken.status(), taken.body());
            assertEquals(stuartId, taken.json().path("existing").path("id").asText(), taken.body());
            assertEquals(1, api.get("/api/visitors").json().size(), "nothing was named");
            ApiClient.Reply named = api.postJson("/api/visitors/" + visitor.get("id").asText() + "/name",
                    "{\"name\":\"Stuart Bloom\",\"merge\":true}");
            assertEquals(200, named.status(), named.body());
            assertEquals(stuartId, named.json().get("id").asText(), "added to the existing Stuart Bloom");
            assertTrue(named.json().get("samples").asInt() >= 4, "five sightings, one forgotten: " + named.body());
            assertEquals(0, api.get("/api/visitors").json().size(), "the named visitor is gone");
            assertEquals(8, live.server.gallery().size());

            events.clear();
            boolean seen = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!seen && System.nanoTime() < deadline) {
                JsonNode e = events.poll(1, TimeUnit.SECONDS);
                seen = e != null && e.get("type").asText().equals("face") && e.get("camera").asText().equals(camId)
                        && e.get("person").asText().equals("Stuart Bloom");
            }
            assertTrue(seen, "the next sighting is named");
            JsonNode history = api.get("/api/events?camera=" + camId + "&limit=50").json();
            // 5 or more: a track still open when the visitor was named keeps its one event.
            assertTrue(history.size() >= 5, history.toString()); // four left of the first five, and the new one
            int namedEvents = 0;
            for (JsonNode e : history) {
                namedEvents += e.get("person").asText().equals("Stuart Bloom") ? 1 : 0;
            }
            assertTrue(namedEvents >= 5, "the visitor's sightings (less the forgotten one) and the new one belong to the person: " + history);

            // The people listing carries where each was last seen: one request for the whole page.
            JsonNode stuart = null;
            for (JsonNode p : api.get("/api/people").json()) {
                stuart = p.get("name").asText().equals("Stuart Bloom") ? p : stuart;
            }
            assertTrue(stuart != null && stuart.get("lastSeen").size() >= 1 && stuart.get("lastSeen").size() <= 3, String.valueOf(stuart));
            assertEquals(camId, stuart.get("lastSeen").get(0).get("camera").asText());
            assertTrue(stuart.get("lastSeen").get(0).get("at").asLong() >= history.get(0).get("firstSeen").asLong(), stuart.toString());
        }
    }

    private static byte[] emptyFrame() {
        Mat m = new Mat(480, 640, CvType.CV_8UC3, new Scalar(40, 40, 40));
        MatOfByte b = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, b);
        m.release();
        return b.toArray();
    }
}
