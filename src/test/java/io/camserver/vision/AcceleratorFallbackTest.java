package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import io.camserver.vision.onnx.OrtFaceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * embedder.device cuda where there is no CUDA (the CPU build of ONNX Runtime, no GPU, no driver):
 * the server starts, says once that the embedder runs on the CPU, and recognises as usual. (The
 * GPU itself was not available to measure: see issue 24's note.)
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class AcceleratorFallbackTest {
    @Test
    void cudaAskedWhereThereIsNoneFallsBackToTheCpuAndSaysSo(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("embedder.device", "cuda"))) {
            assertTrue(OrtFaceEmbedder.cudaRefused(), "this machine has no CUDA provider: the fallback was taken");
            String log = Files.readString(Path.of("target/test-logs/AcceleratorFallbackTest.log"));
            assertEquals(1, log.lines().filter(l -> l.contains("embedder.device cuda: no CUDA here")).count(), "said once:\n" + log);
            assertTrue(log.lines().anyMatch(l -> l.contains("the embedder runs on the CPU")), log);
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String amy = api.postJson("/api/people", "{\"name\":\"Amy\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + amy + "/samples", "amy1.png", Files.readAllBytes(Fixtures.person("amy", 1))).status());
            ApiClient.Reply r = api.upload("/api/identify", "amy3.png", Files.readAllBytes(Fixtures.person("amy", 3)));
            assertEquals("Amy", r.json().path("faces").get(0).path("name").asText(), r.body());
        }
    }
}
