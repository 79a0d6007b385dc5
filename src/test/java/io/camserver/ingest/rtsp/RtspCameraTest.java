package io.camserver.ingest.rtsp;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.support.Fixtures;
import io.camserver.support.RtspServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTSP cameras against a real RTSP server (GStreamer's, on loopback) serving H.264 and H.265 made
 * with ffmpeg from the faces in ../shared: each person is named live on their camera; a wrong
 * password is reported as such and the URL never shows it; the server going away and coming back
 * is recovered; and no FFmpeg child outlives its camera or the server.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class RtspCameraTest {
    @TempDir
    static Path tmp;

    private static List<Path> crops(String person) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            out.add(Fixtures.person(person, i));
        }
        return out;
    }

    private static long ffmpegChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false)).count();
    }

    /**
     * Two hostile "cameras" on loopback: one accepts the connection and then says nothing (a hung
     * camera), one answers garbage. Each is reported in words, and neither leaves an FFmpeg behind.
     */
    @Test
    void aSilentCameraAndOneSendingGarbageAreToldApart() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket garbage = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // and never a byte back
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Thread.ofVirtual().start(() -> {
                while (!garbage.isClosed()) {
                    try (java.net.Socket c = garbage.accept()) {
                        c.getInputStream().read(new byte[1000]);
                        c.getOutputStream().write("\u0000\u00ffnot RTSP at all\r\n\r\n".repeat(20).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        Thread.sleep(300);
                    } catch (java.io.IOException e) {
                        if (garbage.isClosed()) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Path config = tmp.resolve("hostile.yaml");
            Files.writeString(config, "cameras:\n"
                    + "  - {id: hung, url: 'rtsp://127.0.0.1:" + silent.getLocalPort() + "/live'}\n"
                    + "  - {id: noise, url: 'rtsp://127.0.0.1:" + garbage.getLocalPort() + "/live'}\n");
            try (LiveFixture live = LiveFixture.start(tmp.resolve("hostile"), Map.of(), config)) {
                LiveFixture.eventually(Duration.ofSeconds(30), "both told", () ->
                        "no answer from the camera (timed out)".equals(live.camera("hung").path("lastError").asText())
                                && live.camera("noise").path("lastError").asText().equals("not a stream FFmpeg can read (invalid data)"));
            }
            for (java.net.Socket h : held) {
                h.close();
            }
        }
        LiveFixture.waitUntil(Duration.ofSeconds(10), "no ffmpeg left", () -> ffmpegChildren() == 0);
    }

    @Test
    void h264AndH265CamerasAreNamedLiveErrorsAreToldAndNoChildIsLeft() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path penny = RtspServer.video(media, "penny-h264", crops("penny"), 1.5, "libx264", 4);
        Path raj = RtspServer.video(media, "raj-h265", crops("raj"), 1.5, "libx265", 4);
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 4, 5, "penny", "raj", "amy");
        String user = "admin:s3cret-pass";
        RtspServer server = RtspServer.start(media, 0, user, Map.of("door", penny, "yard", raj));
        int port = server.port();
        Path config = tmp.resolve("camserver.yaml");
        Files.writeString(config, "cameras:\n"
                + "  - {id: door, url: '" + server.url("door", user) + "'}\n"
                + "  - {id: yard, url: '" + server.url("yard", user) + "', fps: 5}\n"
                + "  - {id: bad, url: '" + server.url("door", "admin:wrong") + "'}\n"
                + "  - {id: gone, url: '" + server.url("nosuch", user) + "'}\n");
        io.camserver.ingest.rtsp.FfmpegChildren owned;
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString()), config)) {
            owned = live.server.registry().rtspChildren();
            BlockingQueue<JsonNode> events = live.events();
            List<String> named = new ArrayList<>();
            LiveFixture.eventually(Duration.ofSeconds(90), "penny named on door (H.264) and raj on yard (H.265)", () -> {
                JsonNode e;
                while ((e = events.poll()) != null) {
                    if (e.get("type").asText().equals("face") && !e.path("person").isMissingNode()) {
                        named.add(e.get("camera").asText() + ":" + e.path("person").asText());
                    }
                }
                return named.contains("door:penny") && named.contains("yard:raj");
            });
            assertTrue(named.stream().allMatch(n -> n.equals("door:penny") || n.equals("yard:raj") || n.endsWith(":")
                    || n.endsWith(":null")), "nobody named wrongly: " + named);

            LiveFixture.eventually(Duration.ofSeconds(30), "the wrong password and the unknown path reported", () ->
                    "wrong credentials (401)".equals(live.camera("bad").path("lastError").asText())
                            && "unknown path (404)".equals(live.camera("gone").path("lastError").asText()));
            String everything = live.get("/api/cameras").body() + live.get("/metrics").body();
            assertTrue(!everything.contains("s3cret-pass") && !everything.contains("admin:wrong"), "credentials never shown");
            assertTrue(live.camera("door").get("url").asText().startsWith("rtsp://***@127.0.0.1:"), live.camera("door").toString());
            String metrics = live.get("/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("camserver_camera_decode_cpu_seconds_total{camera=\"door\"")
                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0), "decode cost per camera in /metrics: "
                    + metrics.lines().filter(l -> l.contains("decode_cpu")).toList());

            // The server goes away: the cameras go offline with a reason, the others are untouched.
            server.close();
            LiveFixture.eventually(Duration.ofSeconds(30), "door offline", () -> live.camera("door").get("state").asText().equals("offline"));
            String why = live.camera("door").get("lastError").asText();
            assertTrue(why.equals("connection refused") || why.equals("camera ended the stream") || why.startsWith("no answer"), why);
            // ... and comes back on the same port: streaming again, by itself.
            server = RtspServer.start(media, port, user, Map.of("door", penny, "yard", raj));
            long before = live.camera("door").get("framesReceived").asLong();
            LiveFixture.eventually(Duration.ofSeconds(60), "door streaming again", () -> live.camera("door").get("state").asText().equals("streaming")
                    && live.camera("door").get("framesReceived").asLong() > before + 10);

            // Removing a camera ends its FFmpeg.
            long children = ffmpegChildren();
            assertTrue(children >= 2, "one child per streaming camera: " + children);
            assertTrue(owned.alive() >= 2, "the server counts the children it runs: " + owned.alive());
            assertEquals(204, live.delete("/api/cameras/door").statusCode());
            LiveFixture.waitUntil(Duration.ofSeconds(10), "door's ffmpeg gone", () -> ffmpegChildren() < children);
        } finally {
            server.close();
        }
        // Shutdown leaves none behind.
        LiveFixture.waitUntil(Duration.ofSeconds(10), "no ffmpeg left", () -> ffmpegChildren() == 0);
        assertEquals(0, owned.alive(), "the server's count agrees");
    }
}
