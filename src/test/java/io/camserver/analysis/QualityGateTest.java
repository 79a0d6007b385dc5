package io.camserver.analysis;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.image.MatScope;
import io.camserver.sim.SimulatedCamera;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Quality before a vote, live: a camera whose picture is badly out of focus has its face tracked
 * but never embedded (so never named, right or wrong), counted in /metrics as blurred; a sharp
 * camera's person is named and the sighting records the quality of the view it was decided from.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class QualityGateTest {
    @TempDir
    static Path tmp;

    /** The frame defocused: a Gaussian blur of sigma 4 % of the frame height (about 5 % of the face). */
    static byte[] defocused(byte[] jpeg) {
        try (MatScope s = new MatScope()) {
            Mat img = s.add(Imgcodecs.imdecode(s.add(new MatOfByte(jpeg)), Imgcodecs.IMREAD_COLOR));
            Mat out = s.mat();
            Imgproc.GaussianBlur(img, out, new Size(0, 0), img.rows() * 0.04);
            MatOfByte buf = s.add(new MatOfByte());
            Imgcodecs.imencode(".jpg", out, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return buf.toArray();
        }
    }

    static double skipped(String metrics, String reason) {
        Matcher m = Pattern.compile("camserver_faces_skipped_total\\{[^}]*reason=\"" + reason + "\"[^}]*} ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aDefocusedFaceIsTrackedNotNamedAndASharpOneRecordsItsQuality() throws Exception {
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, "penny", "raj", "amy");
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString()))) {
            BlockingQueue<JsonNode> events = live.events();
            List<byte[]> blurred = new ArrayList<>();
            for (byte[] f : LiveFixture.frames("penny", 4, 5)) {
                blurred.add(defocused(f));
            }
            SimulatedCamera soft = live.camera(blurred, 10, Duration.ofSeconds(15));
            SimulatedCamera sharp = live.camera(LiveFixture.frames("raj", 4, 5), 10, Duration.ofSeconds(15));
            String softId = LiveFixture.idOf(soft);
            String sharpId = LiveFixture.idOf(sharp);

            LiveFixture.eventually(Duration.ofSeconds(30), "raj named and 50 frames on the defocused camera", () ->
                    live.camera(softId).get("framesAnalysed").asLong() >= 50
                            && live.get("/api/events?camera=" + sharpId).body().contains("\"raj\""));
            String metrics = live.get("/metrics").body();
            assertTrue(skipped(metrics, "blurred") >= 10, "defocused views counted as blurred: "
                    + metrics.lines().filter(l -> l.contains("faces_skipped")).toList());

            List<JsonNode> seen = new ArrayList<>();
            events.drainTo(seen);
            List<JsonNode> onSoft = seen.stream().filter(e -> e.get("type").asText().equals("face"))
                    .filter(e -> e.get("camera").asText().equals(softId)).toList();
            assertEquals(List.of(), onSoft, "no vote without a good view: nobody named on the defocused camera");

            JsonNode list = LiveFixture.JSON.readTree(live.get("/api/events?camera=" + sharpId).body());
            JsonNode items = list.isArray() ? list : list.get("events");
            JsonNode q = items.get(0).get("quality");
            assertTrue(q != null && !q.isNull(), "the sighting keeps its quality: " + items.get(0));
            assertTrue(q.get("height").asInt() >= 32 && q.get("sharpness").asInt() >= 15 && q.get("yaw").asInt() <= 45, q.toString());
        }
    }
}
