package io.camserver.ingest;

import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras that break the protocol each end up offline with the reason in words, while a good
 * camera keeps streaming and the server's memory stays bounded.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class MalformedStreamTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void head(OutputStream out, String contentType) throws java.io.IOException {
        out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n"));
        out.flush();
    }

    @Test
    void eachBrokenStreamIsRefusedWithItsReasonAndOthersKeepStreaming(@TempDir Path tmp) throws Exception {
        byte[] jpeg = Files.readAllBytes(io.camserver.support.Fixtures.faces().resolve("scenes/group-4.jpg"));
        Map<String, FakeCamera.Behaviour> broken = new LinkedHashMap<>();
        broken.put("no boundary", out -> {
            head(out, "multipart/x-mixed-replace");
            byte[] junk = new byte[1 << 20];
            new Random(1).nextBytes(junk);
            out.write(junk);
        });
        broken.put("100 MB part", out -> {
            head(out, "multipart/x-mixed-replace;boundary=b");
            out.write(ascii("--b\r\nContent-Type: image/jpeg\r\nContent-Length: 100000000\r\n\r\n"));
            out.write(new byte[1 << 16]);
            out.flush();
            Thread.sleep(10_000);
        });
        broken.put("endless part", out -> {
            head(out, "multipart/x-mixed-replace;boundary=b");
            out.write(ascii("--b\r\nContent-Type: image/jpeg\r\n\r\n"));
            byte[] chunk = new byte[64 << 10];
            new Random(2).nextBytes(chunk);
            for (int i = 0; i < 200; i++) {
                out.write(chunk);
            }
        });
        broken.put("stall", out -> {
            head(out, "multipart/x-mixed-replace;boundary=b");
            Thread.sleep(60_000);
        });
        broken.put("not a stream", out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>login</html>"));
        });
        broken.put("not HTTP", out -> out.write(ascii("SSH-2.0-OpenSSH_9.2\r\n")));
        broken.put("garbage between parts", out -> {
            head(out, "multipart/x-mixed-replace;boundary=b");
            for (int i = 0; i < 200; i++) {
                out.write(ascii("--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n"));
                out.write(jpeg);
                out.write(ascii("\r\nthis is not part of any frame\r\n"));
                out.flush();
                Thread.sleep(100);
            }
        });
        broken.put("chunked (ffmpeg style)", out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=ffmpeg\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int i = 0; i < 200; i++) {
                byte[] part = concat(ascii("--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: " + jpeg.length + "\r\n\r\n"), jpeg,
                        ascii("\r\n"));
                out.write(ascii(Integer.toHexString(part.length) + "\r\n"));
                out.write(part);
                out.write(ascii("\r\n"));
                out.flush();
                Thread.sleep(100);
            }
        });
        Map<String, String> expected = Map.of(
                "no boundary", "no multipart boundary declared and none found",
                "100 MB part", "part 1 declares Content-Length 100000000, over the limit of 4194304 bytes",
                "endless part", "part 1 has no Content-Length and no boundary within 4194304 bytes",
                "stall", "stalled: no data for 2000 ms",
                "not a stream", "camera sent an HTML page, expected multipart/x-mixed-replace or image/jpeg",
                "not HTTP", "not an HTTP response (19 bytes that do not start with HTTP/1.x)");

        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            SimulatedCamera good = live.camera(LiveFixture.frames("penny", 1, 2), 10, Duration.ofSeconds(15));
            String goodId = LiveFixture.idOf(good);
            List<FakeCamera> fakes = new ArrayList<>();
            Map<String, String> idOf = new LinkedHashMap<>();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            for (var e : broken.entrySet()) {
                FakeCamera f = new FakeCamera(e.getValue(), LiveFixture.newCameraAddress());
                fakes.add(f);
                assertEquals("ACK", f.registerWith(live.server.port(), "feedbeef").body());
                idOf.put(e.getKey(), f.id());
            }
            LiveFixture.eventually(Duration.ofSeconds(10), "good camera streaming",
                    () -> "streaming".equals(live.camera(goodId).get("state").asText()));
            for (var e : expected.entrySet()) {
                String id = idOf.get(e.getKey());
                LiveFixture.eventually(Duration.ofSeconds(15), e.getKey() + " reported", () -> {
                    var c = live.camera(id);
                    return c.get("lastError").asText("").contains(e.getValue());
                });
                assertTrue(!"streaming".equals(live.camera(id).get("state").asText()), e.getKey());
            }
            for (String tolerated : List.of("garbage between parts", "chunked (ffmpeg style)")) {
                String id = idOf.get(tolerated);
                LiveFixture.eventually(Duration.ofSeconds(10), tolerated + " streaming",
                        () -> "streaming".equals(live.camera(id).get("state").asText()) && live.camera(id).get("framesReceived").asLong() > 5);
            }
            long goodFrames = live.camera(goodId).get("framesReceived").asLong();
            long since = System.nanoTime();
            LiveFixture.eventually(Duration.ofSeconds(10), "20 more frames from the good camera",
                    () -> live.camera(goodId).get("framesReceived").asLong() >= goodFrames + 20);
            double fps = 20 / ((System.nanoTime() - since) / 1e9);
            assertTrue(fps > 6, "good camera kept its ~10 fps while broken ones were refused: " + fps);
            assertEquals("streaming", live.camera(goodId).get("state").asText());
            assertEquals(200, live.get("/healthz").statusCode());
            System.gc();
            long grown = (rt.totalMemory() - rt.freeMemory()) - heapBefore;
            assertTrue(grown < 96L << 20, "heap grew by " + (grown >> 20) + " MiB while refusing broken streams");
            for (FakeCamera f : fakes) {
                f.close();
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

}
