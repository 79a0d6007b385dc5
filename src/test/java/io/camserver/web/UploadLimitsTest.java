package io.camserver.web;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile uploads each get a 4xx with a reason, and the server stays healthy. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class UploadLimitsTest {
    @Test
    void corruptHugeBombAndNonImageUploadsAreRefusedWithReasons(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String id = api.postJson("/api/people", "{\"name\":\"target\"}").json().get("id").asText();
            String samples = "/api/people/" + id + "/samples";
            byte[] scene = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));

            ApiClient.Reply truncated = api.upload(samples, "cut.jpg", Arrays.copyOf(scene, scene.length / 2));
            assertEquals(422, truncated.status());
            assertTrue(truncated.json().get("error").asText().startsWith("truncated JPEG"), truncated.body());

            ApiClient.Reply huge = api.upload(samples, "huge.jpg", new byte[50 << 20]);
            assertEquals(413, huge.status(), huge.body());
            assertTrue(huge.body().contains("over the limit of 16777216 bytes (upload.maxBytes)"), huge.body());

            ApiClient.Reply bomb = api.upload(samples, "bomb.png", pngBomb());
            assertEquals(422, bomb.status());
            assertEquals("PNG declares 100000x100000 = 10000000000 pixels, over the limit of 40000000", bomb.json().get("error").asText());

            ApiClient.Reply text = api.upload(samples, "notes.jpg", "just some words\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(422, text.status());
            assertTrue(text.json().get("error").asText().startsWith("not a supported image"), text.body());

            ApiClient.Reply empty = api.upload("/api/identify", "empty.jpg", new byte[0]);
            assertEquals(422, empty.status());
            assertEquals("empty file (0 bytes)", empty.json().get("error").asText());

            ApiClient.Reply noField = api.postJson("/api/identify", "{}");
            assertTrue(noField.status() == 400, noField.body());

            assertEquals(200, live.get("/healthz").statusCode());
            assertEquals(0, api.get("/api/people/" + id).json().get("samples").asInt(), "nothing was stored");
            assertEquals(201, api.upload(samples, "ok.png", Files.readAllBytes(Fixtures.person("amy", 1))).status(), "still works after");
        }
    }

    private static byte[] pngBomb() {
        return io.camserver.support.TestImages.png(100_000, 100_000, new byte[1 << 20]);
    }
}
