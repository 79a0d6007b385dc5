package io.camserver.analysis;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end on loopback: three simulated ESP32s register with the firmware's
 * bytes, the server pulls their streams, recognises the people and says so on every output.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class LiveServerEndToEndTest {
    @TempDir
    static Path tmp;
    static LiveFixture live;
    static BlockingQueue<JsonNode> events;
    static List<SimulatedCamera> cams;

    @BeforeAll
    static void start() throws Exception {
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, "sheldon", "penny", "raj", "amy", "leonard");
        live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString()));
        events = live.events();
        cams = List.of(
                live.camera(LiveFixture.frames("sheldon", 4, 5), 10, Duration.ofSeconds(15)),
                live.camera(LiveFixture.frames("penny", 4, 5), 10, Duration.ofSeconds(15)),
                live.camera(LiveFixture.frames("raj", 4, 5), 10, Duration.ofSeconds(15)));
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void threeRegisteredCamerasAreStreamingWithinTenSeconds() throws Exception {
        LiveFixture.eventually(Duration.ofSeconds(10), "3 cameras streaming", () -> {
            JsonNode list = live.cameras();
            int streaming = 0;
            for (JsonNode c : list) {
                streaming += c.get("state").asText().equals("streaming") ? 1 : 0;
            }
            return list.size() == 3 && streaming == 3;
        });
        JsonNode c = live.camera(LiveFixture.idOf(cams.get(0)));
        assertEquals(cams.get(0).advertisedIp(), c.get("ip").asText());
        assertEquals("http://" + cams.get(0).advertisedIp() + ":" + cams.get(0).port() + "/stream?token=***", c.get("url").asText(),
                "token masked");
        for (String field : List.of("id", "ip", "url", "state", "lastError", "fps", "droppedFrames", "lastFrameAt")) {
            assertTrue(c.has(field), "field " + field + " in " + c);
        }
        for (SimulatedCamera cam : cams) {
            assertTrue(cam.lastRegistrationReply().startsWith("HTTP/1.1 200"), cam.lastRegistrationReply());
            assertTrue(cam.lastRegistrationReply().endsWith("ACK"), cam.lastRegistrationReply());
        }
    }

    @Test
    void sseNamesEveryPersonStreamedByTheCameras() throws Exception {
        Set<String> named = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (named.size() < 3 && System.nanoTime() < deadline) {
            JsonNode e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && e.get("type").asText().equals("face")) {
                assertTrue(e.get("similarity").asDouble() > 0.4, e.toString());
                assertEquals(4, e.get("box").size());
                assertTrue(e.get("trackId").asLong() > 0);
                named.add(e.get("camera").asText() + "=" + e.get("person").asText());
            }
        }
        assertEquals(Set.of(LiveFixture.idOf(cams.get(0)) + "=sheldon", LiveFixture.idOf(cams.get(1)) + "=penny",
                LiveFixture.idOf(cams.get(2)) + "=raj"), named);
    }

    @Test
    void videoFeedIsTheDemosMultipartFormatWithJpegParts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(live.base().resolve("/video_feed")).header("Authorization", LiveFixture.BASIC).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("multipart/x-mixed-replace; boundary=frame", r.headers().firstValue("content-type").orElseThrow());
        try (InputStream in = r.body()) {
            for (int part = 0; part < 3; part++) {
                String head = readHead(in);
                assertTrue(head.startsWith("--frame\r\nContent-Type: image/jpeg\r\n"), head);
                int len = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                byte[] jpeg = in.readNBytes(len);
                assertEquals(0xFF, jpeg[0] & 0xff);
                assertEquals(0xD8, jpeg[1] & 0xff);
                assertEquals(0xD9, jpeg[len - 1] & 0xff);
                assertEquals('\r', in.read());
                assertEquals('\n', in.read());
            }
        }
    }

    @Test
    void perCameraStreamAndSnapshotServeAnnotatedJpegs() throws Exception {
        String id = LiveFixture.idOf(cams.get(1));
        HttpResponse<byte[]> snap = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(live.base().resolve("/cameras/" + id + "/snapshot.jpg")).header("Authorization", LiveFixture.BASIC)
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, snap.statusCode());
        assertEquals("image/jpeg", snap.headers().firstValue("content-type").orElseThrow());
        assertEquals(0xD8, snap.body()[1] & 0xff);
        HttpResponse<String> missing = live.get("/cameras/nope/snapshot.jpg");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no camera 'nope'"), missing.body());
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        assertEquals(200, live.get("/healthz").statusCode());
        assertEquals("ready", live.get("/readyz").body());
        LiveFixture.eventually(Duration.ofSeconds(10), "analysed frames in metrics", () -> {
            String m = live.get("/metrics").body();
            return m.contains("camserver_frames_analysed_total{camera=\"" + LiveFixture.idOf(cams.get(0)) + "\"}")
                    && m.contains("camserver_frame_latency_seconds") && m.contains("camserver_stage_seconds")
                    && m.contains("camserver_stage_cpu_seconds_count{stage=\"detect\"}")
                    // a face's first frame to its track's decision: counted once the cameras' faces are decided
                    && java.util.regex.Pattern.compile("camserver_track_decision_latency_seconds_count \\d*[1-9]").matcher(m).find();
        });
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("stream ended inside a part header: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

}
