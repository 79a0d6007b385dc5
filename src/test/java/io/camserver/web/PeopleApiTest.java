package io.camserver.web;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.store.Database;
import io.camserver.support.Fixtures;
import io.camserver.support.PostgresServer;
import io.camserver.support.SceneTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Enrollment through the HTTP API, surviving a restart, on SQLite and on PostgreSQL. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class PeopleApiTest {
    private static final AtomicInteger DB = new AtomicInteger();

    @TempDir
    Path tmp;

    private Map<String, String> storage(String kind) throws Exception {
        return kind.equals("sqlite") ? Map.of() : Map.of("storage.url", PostgresServer.shared().newDatabase("api" + DB.incrementAndGet()));
    }

    private static long count(Database db, String sql, String arg) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void enrollEightPeopleRestartAndIdentifyTheGroup(String kind) throws Exception {
        Map<String, String> settings = storage(kind);
        Map<String, String> ids = new HashMap<>();
        try (LiveFixture live = LiveFixture.start(tmp, settings)) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            for (String p : Fixtures.people()) {
                ApiClient.Reply created = api.postJson("/api/people", "{\"name\":\"" + p + "\"}");
                assertEquals(201, created.status(), created.body());
                String id = created.json().get("id").asText();
                ids.put(p, id);
                for (int i = 1; i <= 5; i++) {
                    ApiClient.Reply up = api.upload("/api/people/" + id + "/samples", p + i + ".png", Files.readAllBytes(Fixtures.person(p, i)));
                    assertEquals(201, up.status(), p + i + ": " + up.body());
                    if (i > 1) {
                        JsonNode c = up.json().get("consistency");
                        assertEquals(i - 1, c.get("others").asInt(), up.body());
                        assertTrue(!c.get("outlier").asBoolean() && !up.json().has("warning"), "a genuine sample is not flagged: " + up.body());
                    }
                }
            }
            assertEquals(409, api.postJson("/api/people", "{\"name\":\"amy\"}").status(), "names are unique");
        }
        try (LiveFixture live = LiveFixture.start(tmp, settings)) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            JsonNode people = api.get("/api/people").json();
            assertEquals(8, people.size(), "gallery intact after restart");
            for (JsonNode p : people) {
                assertEquals(5, p.get("samples").asInt(), p.toString());
            }
            SceneTruth truth = SceneTruth.load("group-4");
            ApiClient.Reply r = api.upload("/api/identify", "group-4.jpg", Files.readAllBytes(truth.image()));
            assertEquals(200, r.status(), r.body());
            JsonNode j = r.json();
            assertEquals("group-4.jpg", j.get("image").asText());
            assertEquals(710, j.get("width").asInt());
            assertEquals(6, j.get("faces").size(), r.body());
            for (SceneTruth.Face f : truth.faces()) {
                boolean named = false;
                for (JsonNode face : j.get("faces")) {
                    JsonNode b = face.get("box");
                    if (f.cx() >= b.get(0).asInt() && f.cx() <= b.get(0).asInt() + b.get(2).asInt() && f.cy() >= b.get(1).asInt()
                            && f.cy() <= b.get(1).asInt() + b.get(3).asInt()) {
                        assertEquals(f.name(), face.get("name").asText(), r.body());
                        named = true;
                    }
                }
                assertTrue(named, f.name() + " not found in " + r.body());
            }

            // Deleting a person leaves no row, embedding or image of them.
            String raj = ids.get("raj");
            JsonNode samples = api.get("/api/people/" + raj + "/samples").json();
            String sampleId = samples.get(0).get("id").asText();
            JsonNode quality = samples.get(0).get("quality");
            assertTrue(quality != null && quality.get("height").asInt() > 50 && quality.get("sharpness").asInt() > 0,
                    "each sample keeps the quality of the view it came from: " + samples.get(0));
            assertTrue(samples.get(0).get("consistency").get("best").asDouble() > 0.4, "a genuine sample is like its person's others: " + samples.get(0));
            assertEquals(200, api.get("/api/samples/" + sampleId + "/crop.jpg").status());
            assertEquals(204, api.delete("/api/people/" + raj).status());
            Database db = live.server.database();
            assertEquals(0, count(db, "SELECT COUNT(*) FROM people WHERE id = ?", raj));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM samples WHERE person_id = ?", raj));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM events WHERE person_id = ?", raj));
            assertEquals(404, api.get("/api/samples/" + sampleId + "/crop.jpg").status());
            assertEquals(404, api.get("/api/people/" + raj).status());
            assertEquals(7, live.server.gallery().size(), "the live gallery no longer names raj");
            if (kind.equals("sqlite")) {
                try (var files = Files.walk(live.dataDir)) {
                    assertTrue(files.filter(Files::isRegularFile).noneMatch(f -> f.getFileName().toString().contains(raj)),
                            "no file named after the person");
                }
            }
            JsonNode after = api.upload("/api/identify", "group-4.jpg", Files.readAllBytes(truth.image())).json();
            for (JsonNode face : after.get("faces")) {
                assertTrue(!face.get("name").asText().equals("raj"), "raj is gone: " + after);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void aPhotoWithSeveralFacesListsThemAndOneIsChosenByIndex(String kind) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, storage(kind))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String id = api.postJson("/api/people", "{\"name\":\"Sheldon Cooper\"}").json().get("id").asText();
            byte[] group = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
            ApiClient.Reply several = api.upload("/api/people/" + id + "/samples", "group.jpg", group);
            assertEquals(422, several.status());
            JsonNode faces = several.json().get("faces");
            assertEquals(6, faces.size(), several.body());
            assertTrue(several.json().get("error").asText().startsWith("6 faces found; send the one to enroll as form field 'face'"));
            int sheldon = -1;
            for (JsonNode f : faces) {
                JsonNode b = f.get("box");
                if (505 >= b.get(0).asInt() && 505 <= b.get(0).asInt() + b.get(2).asInt() && 241 >= b.get(1).asInt()
                        && 241 <= b.get(1).asInt() + b.get(3).asInt()) {
                    sheldon = f.get("index").asInt();
                }
            }
            ApiClient.Reply chosen = api.upload("/api/people/" + id + "/samples", "group.jpg", group, "face", String.valueOf(sheldon));
            assertEquals(201, chosen.status(), chosen.body());
            assertTrue(!chosen.json().has("consistency"), "a first sample has nothing to compare with: " + chosen.body());
            ApiClient.Reply same = api.upload("/api/people/" + id + "/samples", "s3.png", Files.readAllBytes(Fixtures.person("sheldon", 3)));
            assertTrue(!same.json().get("consistency").get("outlier").asBoolean(), "his grey crop against his colour face: " + same.body());
            // Someone else's photo added to Sheldon: kept (the user decides), flagged in words.
            ApiClient.Reply wrong = api.upload("/api/people/" + id + "/samples", "penny1.png", Files.readAllBytes(Fixtures.person("penny", 1)));
            assertEquals(201, wrong.status(), wrong.body());
            assertTrue(wrong.json().get("consistency").get("outlier").asBoolean(), wrong.body());
            assertTrue(wrong.json().get("warning").asText().contains("unlike Sheldon Cooper's other 2 samples"), wrong.body());
            assertEquals(204, api.delete("/api/samples/" + wrong.json().get("id").asText()).status());
            JsonNode named = api.upload("/api/identify", "s.png", Files.readAllBytes(Fixtures.person("sheldon", 2))).json();
            assertEquals("Sheldon Cooper", named.get("faces").get(0).get("name").asText(), named.toString());
            ApiClient.Reply blank = api.upload("/api/people/" + id + "/samples", "white.png",
                    Files.readAllBytes(Fixtures.faces().resolve("negatives/white.png")));
            assertEquals(422, blank.status());
            assertEquals("no face found in the 150x150 image", blank.json().get("error").asText());
            assertEquals(404, api.upload("/api/people/nope/samples", "a.png", new byte[] {1}).status());
        }
    }

    /** One person per name, and merging two entries of one person (on both databases: the merge is one transaction of SQL). */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void pennyBesidePennyIsOnePersonAndAMergeMovesEverything(String kind) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, storage(kind))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String penny = api.postJson("/api/people", "{\"name\":\"Penny\"}").json().get("id").asText();
            ApiClient.Reply again = api.postJson("/api/people", "{\"name\":\"  penny \"}");
            assertEquals(409, again.status(), again.body());
            assertEquals(penny, again.json().path("existing").path("id").asText());
            assertEquals(1, api.get("/api/people").json().size(), "no second Penny");

            // An older duplicate under another name: merged into Penny with its samples and its negatives.
            String dup = api.postJson("/api/people", "{\"name\":\"Penelope\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + penny + "/samples", "p1.png", Files.readAllBytes(Fixtures.person("penny", 1))).status());
            assertEquals(201, api.upload("/api/people/" + dup + "/samples", "p2.png", Files.readAllBytes(Fixtures.person("penny", 2))).status());
            assertEquals(201, api.upload("/api/people/" + dup + "/samples", "p3.png", Files.readAllBytes(Fixtures.person("penny", 3))).status());
            ApiClient.Reply merged = api.postJson("/api/people/" + dup + "/merge", "{\"into\":\"" + penny + "\"}");
            assertEquals(200, merged.status(), merged.body());
            assertEquals(3, merged.json().get("samples").asInt(), merged.body());
            assertEquals(404, api.get("/api/people/" + dup).status(), "the merged person is gone");
            assertEquals(1, api.get("/api/people").json().size());
            assertEquals(400, api.postJson("/api/people/" + penny + "/merge", "{\"into\":\"" + penny + "\"}").status(), "not into themselves");
            assertEquals(404, api.postJson("/api/people/" + dup + "/merge", "{\"into\":\"" + penny + "\"}").status());
            ApiClient.Reply identified = api.upload("/api/identify", "p4.png", Files.readAllBytes(Fixtures.person("penny", 4)));
            assertEquals("Penny", identified.json().path("faces").get(0).path("name").asText(), identified.body());
        }
    }
}
