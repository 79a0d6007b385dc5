package io.camserver.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.ApiClient;
import io.camserver.support.AuthCamera;
import io.camserver.support.LiveFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera's stored credentials never follow its url to another device: a PATCH that points an API
 * camera at another host or port (a typo, or someone with the admin session fishing for the NVR
 * password) sends them nowhere unless they are given again.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CredentialLeakTest {
    @Test
    void aPatchedUrlToAnotherHostDoesNotTakeTheStoredPasswordAlong(@TempDir Path tmp) throws Exception {
        List<byte[]> frames = LiveFixture.frames("penny", 1, 2);
        try (AuthCamera real = new AuthCamera(AuthCamera.Scheme.DIGEST, List.of("SHA-256"), "admin", "nvr-Secret-1", frames);
             AuthCamera other = new AuthCamera(AuthCamera.Scheme.BASIC, List.of(), "admin", "nvr-Secret-1", frames);
             LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            ApiClient.Reply added = api.postJson("/api/cameras", "{\"id\":\"porch\",\"url\":\"" + real.url("/stream", null)
                    + "\",\"username\":\"admin\",\"password\":\"nvr-Secret-1\"}");
            assertEquals(201, added.status(), added.body());
            LiveFixture.eventually(Duration.ofSeconds(20), "streaming with its credentials", () -> live.camera("porch").get("state").asText()
                    .equals("streaming"));

            ApiClient.Reply moved = api.patchJson("/api/cameras/porch", "{\"url\":\"" + other.url("/stream", null)
                    // auth: basic, so that a password kept by mistake would reach the wire, where this test looks
                    + "\",\"auth\":\"basic\"}");
            assertEquals(200, moved.status(), moved.body());
            assertFalse(moved.json().path("hasPassword").asBoolean(), "the stored password was dropped: " + moved.body());
            LiveFixture.eventually(Duration.ofSeconds(20), "the other host asked a few times", () -> other.seen.size() >= 2);
            assertTrue(other.seen.stream().allMatch(String::isEmpty), "no credentials reached the other host: " + other.seen);
            LiveFixture.eventually(Duration.ofSeconds(10), "told why", () -> live.camera("porch").path("lastError").asText().contains("401"));
        }
    }
}
