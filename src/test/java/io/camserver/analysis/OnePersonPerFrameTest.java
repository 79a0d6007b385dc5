package io.camserver.analysis;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two faces of one person in one picture (a mirror, a poster beside its subject, two photos held
 * up) are named once: the better match keeps the name. Two different people side by side are
 * both named. In a photo ({@code /api/identify}) and in a camera's frames (the live pipeline).
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class OnePersonPerFrameTest {
    private static List<String> names(ApiClient.Reply r) {
        List<String> out = new ArrayList<>();
        r.json().path("faces").forEach(f -> out.add(f.path("name").asText()));
        return out;
    }

    @Test
    void aPersonIsNamedOnceInAFrameAndTwoPeopleAreBothNamed(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            for (String name : List.of("amy", "penny")) {
                String id = api.postJson("/api/people", "{\"name\":\"" + name + "\"}").json().get("id").asText();
                for (int n = 1; n <= 2; n++) {
                    assertEquals(201, api.upload("/api/people/" + id + "/samples", name + n + ".png", Files.readAllBytes(Fixtures.person(name, n))).status());
                }
            }
            byte[] twoAmys = io.camserver.support.TestImages.sideBySide(Fixtures.person("amy", 3), Fixtures.person("amy", 4));
            byte[] amyAndPenny = io.camserver.support.TestImages.sideBySide(Fixtures.person("amy", 3), Fixtures.person("penny", 3));
            // Each Amy alone is named Amy: the rule, not the photos, keeps the second from the name.
            for (int n : new int[] {3, 4}) {
                assertEquals(List.of("amy"), names(api.upload("/api/identify", "amy.jpg", io.camserver.support.TestImages.sideBySide(Fixtures.person("amy", n),
                        Fixtures.person("penny", 3)))).subList(0, 1));
            }
            List<String> both = names(api.upload("/api/identify", "two-amys.jpg", twoAmys));
            assertEquals(2, both.size(), "two faces found: " + both);
            assertEquals(1, both.stream().filter("amy"::equals).count(), "Amy named once: " + both);
            assertEquals(List.of("amy", "penny"), names(api.upload("/api/identify", "amy-and-penny.jpg", amyAndPenny)));

            // The live pipeline: a camera showing the two Amys decides Amy on one track only.
            BlockingQueue<JsonNode> events = live.events();
            var cam = live.camera(List.of(twoAmys), 10, Duration.ofSeconds(15));
            String camera = LiveFixture.idOf(cam);
            Map<Long, String> byTrack = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && (byTrack.size() < 2 || System.nanoTime() < deadline - Duration.ofSeconds(12).toNanos())) {
                JsonNode e = events.poll(1, TimeUnit.SECONDS);
                if (e != null && "face".equals(e.path("type").asText()) && camera.equals(e.path("camera").asText())) {
                    byTrack.put(e.path("trackId").asLong(), e.path("person").asText());
                }
            }
            assertEquals(2, byTrack.size(), "both faces decided: " + byTrack);
            assertEquals(1, byTrack.values().stream().filter("amy"::equals).count(), "one track is Amy, not both: " + byTrack);
        }
    }
}
