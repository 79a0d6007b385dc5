package io.camserver.ingest.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.support.LiveFixture;
import io.camserver.support.RtspServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera whose stream announces a huge HEVC frame (8192x4608, 38 MP: enough for the decoder to
 * allocate hundreds of MB per frame) is refused by FFmpeg's pixel cap, told in words, and the
 * server goes on serving.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class HostileStreamTest {
    @Test
    void aHugeHevcFrameIsRefusedAndTheServerStaysUp(@TempDir Path tmp) throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path huge = media.resolve("huge.mp4");
        Process make = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i",
                "color=c=gray:s=8192x4608:d=2:r=2", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-g", "2",
                huge.toString())).redirectErrorStream(true).start();
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(120, TimeUnit.SECONDS) ? make.exitValue() : -1, log);
        try (RtspServer rtsp = RtspServer.start(media, 0, null, Map.of("huge", huge))) {
            Path config = Files.writeString(tmp.resolve("camserver.yaml"), "cameras:\n  - {id: huge, url: '" + rtsp.url("huge", null) + "'}\n");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                LiveFixture.eventually(Duration.ofSeconds(60), "the huge frames refused in words", () ->
                        "frames too large (over 36 MP): not decoded; use the camera's substream".equals(live.camera("huge").path("lastError").asText()));
                assertEquals(0, live.camera("huge").get("framesReceived").asLong(), "nothing of it reached analysis");
                assertEquals(200, live.get("/healthz").statusCode());
                assertEquals("ready", live.get("/readyz").body());
            }
        }
    }
}
