package io.camserver.analysis;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Motion gating on the live server: a camera looking at a still scene (one photo, fresh sensor
 * noise in every frame) has its person named once, keeps the track through seconds of frames the
 * detector never sees, and most of its frames skip the detector; a camera whose picture changes
 * every frame has every frame detected.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class MotionGatingTest {
    @TempDir
    static Path tmp;
    static LiveFixture live;
    static BlockingQueue<JsonNode> events;
    static SimulatedCamera still;
    static SimulatedCamera moving;

    @BeforeAll
    static void start() throws Exception {
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, "penny", "raj", "amy");
        live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString(), "output.debug", "true"));
        events = live.events();
        still = live.camera(CameraFrames.stillScene(LiveFixture.frames("penny", 4).get(0), 8), 10, Duration.ofSeconds(15));
        moving = live.camera(LiveFixture.frames("raj", 4, 5), 10, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void aStillPersonIsNamedOnceAndKeptWhileTheDetectorRests() throws Exception {
        String stillId = LiveFixture.idOf(still);
        String movingId = LiveFixture.idOf(moving);
        // 60 still frames at 10 fps: 6 s, four times tracker.maxAge (1.5 s)
        LiveFixture.eventually(Duration.ofSeconds(30), "60 still frames on " + stillId,
                () -> live.camera(stillId).get("framesStill").asLong() >= 60);
        List<JsonNode> faces = new ArrayList<>();
        events.drainTo(faces);
        List<JsonNode> onStill = faces.stream().filter(e -> e.get("type").asText().equals("face"))
                .filter(e -> e.get("camera").asText().equals(stillId)).toList();
        assertEquals(1, onStill.size(), "one decision for the person who stood still, no track restarted: " + onStill);
        assertEquals("penny", onStill.get(0).get("person").asText());
        assertTrue(faces.stream().anyMatch(e -> e.get("type").asText().equals("face") && e.get("camera").asText().equals(movingId)
                && e.get("person").asText().equals("raj")), "the moving camera's person is named too: " + faces);

        JsonNode s = live.camera(stillId);
        long analysed = s.get("framesAnalysed").asLong();
        long skipped = s.get("framesStill").asLong();
        // the detector still runs on the first frames, the first embeddings, and once a second (tracker.refresh)
        assertTrue(skipped >= 0.6 * analysed, "still scene: only " + skipped + " of " + analysed + " frames skipped the detector");
        JsonNode m = live.camera(movingId);
        assertTrue(m.get("framesAnalysed").asLong() >= 30, m.toString());
        assertEquals(0, m.get("framesStill").asLong(), "a picture that changes every frame is never still: " + m);
    }
}
