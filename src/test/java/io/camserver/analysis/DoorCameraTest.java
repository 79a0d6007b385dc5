package io.camserver.analysis;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.image.MatScope;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import io.camserver.vision.Detection;
import io.camserver.vision.FaceDetector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Door cameras: every person stands right at the lens, the face 440-480 px tall in a 640x480
 * frame (a face crop scaled up bicubically and cut to 4:3, as a door camera sees a visitor). With
 * the live default detector every camera names its own person and nobody gets another's name.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class DoorCameraTest {
    @TempDir
    static Path tmp;

    /** The 150x150 crop (nearly all face) scaled to 480x480 and set in the middle of a 640x480 frame, a wall either side. */
    static byte[] doorFrame(String person, int n) {
        try (MatScope s = new MatScope()) {
            Mat src = s.add(Imgcodecs.imread(Fixtures.person(person, n).toString(), Imgcodecs.IMREAD_COLOR));
            assertTrue(!src.empty(), "cannot read " + Fixtures.person(person, n));
            Mat big = s.mat();
            Imgproc.resize(src, big, new Size(480, 480), 0, 0, Imgproc.INTER_CUBIC);
            Mat frame = s.mat();
            Core.copyMakeBorder(big, frame, 0, 0, 80, 80, Core.BORDER_CONSTANT, new Scalar(120, 130, 140));
            MatOfByte buf = s.add(new MatOfByte());
            Imgcodecs.imencode(".jpg", frame, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return buf.toArray();
        }
    }

    @Test
    void eightDoorCamerasNameTheirOwnVisitorAndNobodyElse() throws Exception {
        List<String> people = Fixtures.people();
        assertEquals(8, people.size(), people.toString());
        // The frames are what the test says: faces about 440-480 px tall, checked with the photo detector.
        try (FaceDetector photo = Fixtures.stillModels().newDetector(); MatScope s = new MatScope()) {
            for (String p : people) {
                Mat img = s.add(Imgcodecs.imdecode(s.add(new MatOfByte(doorFrame(p, 4))), Imgcodecs.IMREAD_COLOR));
                List<Detection> found = photo.detect(img);
                assertTrue(!found.isEmpty(), p + ": no face in the door frame at all");
                float h = found.get(0).box().h();
                assertTrue(h >= 400 && h <= 500, p + ": face " + h + " px tall, not a door camera's close-up");
            }
        }
        Path gallery = LiveFixture.gallery(tmp.resolve("gallery"), 1, 3, people.toArray(String[]::new));
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("gallery.dir", gallery.toString()))) {
            BlockingQueue<JsonNode> events = live.events();
            Map<String, String> cameraOf = new HashMap<>();
            for (String p : people) {
                SimulatedCamera c = live.camera(List.of(doorFrame(p, 4), doorFrame(p, 5)), 5, Duration.ofSeconds(15));
                cameraOf.put(LiveFixture.idOf(c), p);
            }
            Set<String> named = new HashSet<>();
            List<String> wrong = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (named.size() < people.size() && System.nanoTime() < deadline) {
                JsonNode e = events.poll(1, TimeUnit.SECONDS);
                if (e == null || !e.get("type").asText().equals("face")) {
                    continue;
                }
                String expected = cameraOf.get(e.get("camera").asText());
                String person = e.get("person").asText();
                if (person.equals(expected)) {
                    named.add(person);
                } else if (e.hasNonNull("personId")) {
                    wrong.add(e.get("camera").asText() + " (" + expected + ") named " + person);
                }
            }
            Set<String> missing = new HashSet<>(people);
            missing.removeAll(named);
            assertTrue(missing.isEmpty(), "not named on their own door camera: " + missing);
            assertTrue(wrong.isEmpty(), "given another's name: " + wrong);
        }
    }
}
