package io.camserver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import io.camserver.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault: the database goes away (PostgreSQL stopped at once, as a crash or a failover does)
 * while people are seen on new cameras. Nothing is lost: what was seen meanwhile waits in the
 * local journal and reaches the history, in order, when the database is back, also when camserver
 * itself was restarted in between; {@code /readyz} says degraded meanwhile and ready after.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class DatabaseOutageTest {
    private static final Duration SOON = Duration.ofSeconds(45);

    @Test
    void sightingsMadeWhileTheDatabaseIsDownReachTheHistoryWhenItIsBack(@TempDir Path tmp) throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            Map<String, String> settings = Map.of("storage.url", pg.newDatabase("outage"));
            Set<String> seen = new HashSet<>();
            try (LiveFixture live = LiveFixture.start(tmp, settings)) {
                ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
                for (String name : List.of("amy", "howard")) {
                    String id = api.postJson("/api/people", "{\"name\":\"" + name + "\"}").json().get("id").asText();
                    assertEquals(201, api.upload("/api/people/" + id + "/samples", name + ".png", Files.readAllBytes(Fixtures.person(name, 1))).status());
                }
                assertEquals("ready", live.anonymous("/readyz").body());
                BlockingQueue<JsonNode> events = live.events();

                pg.stop();
                // Three people on three new cameras while the database is away: two known, one not.
                for (String name : List.of("amy", "howard", "penny")) {
                    live.camera(LiveFixture.frames(name, 2, 3), 10, Duration.ofSeconds(15));
                }
                seen.addAll(faces(events, 3));
                LiveFixture.eventually(SOON, "readyz degraded with the sightings journaled", () -> {
                    var r = live.anonymous("/readyz");
                    return r.statusCode() == 200 && r.body().startsWith("degraded: database unreachable since") && journaled(live) >= 3;
                });
                var api503 = api.get("/api/people");
                assertEquals(503, api503.status(), "an API call that needs the database says so: " + api503.body());
                assertTrue(api503.body().contains("the database is unreachable") && !api503.body().contains("jdbc"), api503.body());

                pg.resume();
                LiveFixture.eventually(SOON, "every sighting of the outage in the history", () -> history(api).containsAll(seen));
                LiveFixture.eventually(SOON, "ready again", () -> live.anonymous("/readyz").body().equals("ready"));
                assertEquals(0, journaled(live), "the journal is empty once written");

                // Down again, and camserver stops before the database is back: the journal is on disk.
                pg.stop();
                live.camera(LiveFixture.frames("leonard", 2, 3), 10, Duration.ofSeconds(15));
                Set<String> during = faces(events, 1);
                LiveFixture.eventually(SOON, "journaled", () -> journaled(live) >= 1);
                seen.addAll(during);
            }
            pg.resume();
            try (LiveFixture again = LiveFixture.start(tmp, settings)) {
                ApiClient api = new ApiClient(again.base(), LiveFixture.BASIC);
                LiveFixture.eventually(SOON, "the sighting journaled before the restart in the history", () -> history(api).containsAll(seen));
                assertEquals(0, journaled(again));
            }
        }
    }

    /** The ids of the next {@code n} distinct sightings announced live. */
    private static Set<String> faces(BlockingQueue<JsonNode> events, int n) throws InterruptedException {
        Set<String> ids = new HashSet<>();
        long deadline = System.nanoTime() + SOON.toNanos();
        while (ids.size() < n && System.nanoTime() < deadline) {
            JsonNode e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && "face".equals(e.path("type").asText())) {
                ids.add(e.path("event").asText());
            }
        }
        assertEquals(n, ids.size(), "sightings announced while the database is away: " + ids);
        return ids;
    }

    private static Set<String> history(ApiClient api) throws Exception {
        Set<String> ids = new HashSet<>();
        api.get("/api/events?limit=500").json().forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    /** The sightings waiting in the journal, as the public /readyz says (the admin's API needs the database to log in). */
    private static long journaled(LiveFixture live) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("; (\\d+) sightings journaled").matcher(live.anonymous("/readyz").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
