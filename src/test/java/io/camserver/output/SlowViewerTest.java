package io.camserver.output;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A viewer that stops reading costs the server nothing and slows nobody else. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class SlowViewerTest {
    @Test
    void aViewerThatReadsNothingFor150FramesDoesNotGrowMemoryOrSlowOthers(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 1, 2, 3), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            LiveFixture.eventually(Duration.ofSeconds(10), "streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));

            // The stalled viewer: asks for both streams, then never reads a byte.
            Socket stuckMosaic = new Socket("127.0.0.1", live.server.port());
            stuckMosaic.setReceiveBufferSize(4096);
            stuckMosaic.getOutputStream().write(("GET /video_feed HTTP/1.1\r\nHost: x\r\nAuthorization: " + LiveFixture.BASIC + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Socket stuckCamera = new Socket("127.0.0.1", live.server.port());
            stuckCamera.setReceiveBufferSize(4096);
            stuckCamera.getOutputStream().write(("GET /cameras/" + id + "/stream HTTP/1.1\r\nHost: x\r\nAuthorization: " + LiveFixture.BASIC + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            // The healthy viewer reads the camera stream and counts parts.
            AtomicLong parts = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(live.base().resolve("/cameras/" + id + "/stream")).header("Authorization", LiveFixture.BASIC).build(), HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = r.body()) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    int matched = 0;
                    byte[] marker = "--frame".getBytes(StandardCharsets.US_ASCII);
                    while (!stop.get() && (n = in.read(buf)) > 0) {
                        for (int i = 0; i < n; i++) {
                            matched = buf[i] == marker[matched] ? matched + 1 : (buf[i] == marker[0] ? 1 : 0);
                            if (matched == marker.length) {
                                parts.incrementAndGet();
                                matched = 0;
                            }
                        }
                    }
                } catch (Exception e) {
                    // stream closed at the end of the test
                }
            });
            // 30 frames to the healthy viewer: by then both stuck sockets' buffers are full.
            LiveFixture.waitUntil(Duration.ofSeconds(20), "30 frames to the healthy viewer", () -> parts.get() >= 30);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapStart = rt.totalMemory() - rt.freeMemory();
            long partsStart = parts.get();
            long framesStart = cam.framesSent();
            long start = System.nanoTime();
            // The stuck viewers stay stuck while the camera sends 150 frames (15 s at 10 fps).
            LiveFixture.waitUntil(Duration.ofSeconds(60), "150 frames from the camera", () -> cam.framesSent() >= framesStart + 150);
            double seconds = (System.nanoTime() - start) / 1e9;
            long partsDuring = parts.get() - partsStart;
            long framesDuring = cam.framesSent() - framesStart;
            System.gc();
            long grown = (rt.totalMemory() - rt.freeMemory()) - heapStart;
            stop.set(true);
            stuckMosaic.close();
            stuckCamera.close();
            reader.interrupt();

            double viewerFps = partsDuring / seconds;
            double cameraFps = framesDuring / seconds;
            System.out.printf("slow-viewer test: camera %.1f fps, healthy viewer %.1f fps, heap change %d KiB%n", cameraFps, viewerFps,
                    grown >> 10);
            assertTrue(viewerFps > cameraFps * 0.7, "healthy viewer got " + viewerFps + " fps of the camera's " + cameraFps);
            assertTrue(grown < 32L << 20, "heap grew by " + (grown >> 20) + " MiB with a stalled viewer");
            assertTrue(live.get("/healthz").statusCode() == 200);
        }
    }

}
