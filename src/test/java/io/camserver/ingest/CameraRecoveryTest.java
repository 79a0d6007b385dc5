package io.camserver.ingest;

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

/** A camera that dies is reported offline with a reason, and picked up again when it returns. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CameraRecoveryTest {
    @Test
    void aKilledCameraIsOfflineWithinTenSecondsAndStreamingAgainWithinTenOfComingBack(@TempDir Path tmp) throws Exception {
        // Production defaults for timeouts and backoff: the acceptance bound must hold with them.
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("ingest.readTimeout", "5s", "ingest.backoffInitial", "500ms",
                "ingest.backoffMax", "5s"))) {
            BlockingQueue<JsonNode> events = live.events();
            SimulatedCamera cam = live.camera(LiveFixture.frames("leonard", 1, 2), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            LiveFixture.eventually(Duration.ofSeconds(10), "streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));

            long killedAt = System.nanoTime();
            cam.kill();
            LiveFixture.eventually(Duration.ofSeconds(10), "offline", () -> "offline".equals(live.camera(id).get("state").asText()));
            double offlineAfter = (System.nanoTime() - killedAt) / 1e9;
            JsonNode c = live.camera(id);
            assertTrue(c.get("lastError").asText().length() > 3, "a reason in words: " + c);
            assertTrue(offlineAfter < 10, "offline after " + offlineAfter + " s");

            // It stays down a while: several failed reconnects, the backoff grows.
            long before = live.camera(id).get("reconnects").asLong();
            LiveFixture.eventually(Duration.ofSeconds(15), "three failed reconnects", () -> live.camera(id).get("reconnects").asLong() >= before + 3);
            long backAt = System.nanoTime();
            cam.revive();
            LiveFixture.eventually(Duration.ofSeconds(10), "streaming again",
                    () -> "streaming".equals(live.camera(id).get("state").asText()));
            double backAfter = (System.nanoTime() - backAt) / 1e9;
            assertTrue(backAfter < 10, "streaming again after " + backAfter + " s");
            assertTrue(live.camera(id).get("reconnects").asLong() >= 1);
            assertTrue(live.camera(id).get("lastError").isNull(), "error cleared once streaming");

            boolean sawOffline = false;
            boolean sawOnlineAgain = false;
            for (JsonNode e = events.poll(2, TimeUnit.SECONDS); e != null; e = events.poll(200, TimeUnit.MILLISECONDS)) {
                if (e.get("camera").asText().equals(id)) {
                    if (e.get("type").asText().equals("camera-offline")) {
                        sawOffline = true;
                        assertTrue(e.get("reason").asText().length() > 3, e.toString());
                    } else if (sawOffline && e.get("type").asText().equals("camera-online")) {
                        sawOnlineAgain = true;
                    }
                }
            }
            assertTrue(sawOffline && sawOnlineAgain, "SSE told offline then online");
        }
    }
}
