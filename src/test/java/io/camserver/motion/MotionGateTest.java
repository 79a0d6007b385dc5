package io.camserver.motion;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.image.MatScope;
import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The gate on real pictures: sensor noise and light drift are still, a person arriving is not. */
class MotionGateTest {
    private static final double THRESHOLD = 25;
    private static final double MIN_AREA = 0.002;

    private static byte[] frame(String person, int n) throws Exception {
        return CameraFrames.toFrame(Files.readAllBytes(Fixtures.person(person, n)), person + n);
    }

    /** The frame with a change painted on: a filled box of the given colour, or the whole picture brightened. */
    private static byte[] edit(byte[] jpeg, Rect box, Scalar colour, double brighten) {
        try (MatScope s = new MatScope()) {
            Mat img = s.add(Imgcodecs.imdecode(s.add(new MatOfByte(jpeg)), Imgcodecs.IMREAD_COLOR));
            if (box != null) {
                Imgproc.rectangle(img, new Point(box.x, box.y), new Point(box.x + box.width, box.y + box.height), colour, -1);
            }
            Mat out = s.mat();
            img.convertTo(out, -1, 1, brighten);
            MatOfByte buf = s.add(new MatOfByte());
            Imgcodecs.imencode(".jpg", out, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return buf.toArray();
        }
    }

    @Test
    void sensorNoiseIsStillAndTheFirstFrameCountsAsMoving() throws Exception {
        for (String person : List.of("penny", "raj", "howard")) {
            List<byte[]> scene = CameraFrames.stillScene(frame(person, 1), 30);
            MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
            assertTrue(gate.check(scene.get(0), true).moving(), "no background yet: the detector must run");
            for (int i = 1; i < scene.size(); i++) {
                MotionGate.Result r = gate.check(scene.get(i), true);
                assertFalse(r.moving(), person + " frame " + i + ": noise counted as motion, regions " + r.regions());
            }
        }
    }

    @Test
    void aSlowLightChangeIsStill() throws Exception {
        byte[] base = frame("amy", 2);
        MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
        gate.check(base, false);
        for (int step = 1; step <= 20; step++) {
            assertFalse(gate.check(edit(base, null, null, step), false).moving(), "brightened by " + step + " grey levels");
        }
    }

    @Test
    void aPersonArrivingMovesAndItsRegionIsWhereTheChangeIs() throws Exception {
        byte[] empty = frame("sheldon", 1);
        MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
        for (byte[] f : CameraFrames.stillScene(empty, 5)) {
            gate.check(f, true);
        }
        // someone another person's size walks into the right-hand side: a face-sized dark box
        Rect where = new Rect(480, 200, 64, 80);
        MotionGate.Result r = gate.check(edit(empty, where, new Scalar(20, 30, 40), 0), true);
        assertTrue(r.moving(), "a 64x80 change went unnoticed");
        assertFalse(r.regions().isEmpty());
        for (Rect region : r.regions()) {
            assertTrue(region.x + region.width >= where.x - 16 && region.x <= where.x + where.width + 16
                    && region.y + region.height >= where.y - 16 && region.y <= where.y + where.height + 16,
                    "region " + region + " is not near the change at " + where);
        }
        MotionGate other = new MotionGate(THRESHOLD, MIN_AREA);
        other.check(empty, false);
        assertTrue(other.check(frame("penny", 1), false).moving(), "another picture altogether");
    }

    @Test
    void aSceneFlickeringBetweenTwoPicturesMovesEveryFrame() throws Exception {
        byte[] a = frame("raj", 4);
        byte[] b = frame("raj", 5);
        MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
        gate.check(a, false);
        for (int i = 1; i < 40; i++) {
            assertTrue(gate.check(i % 2 == 0 ? a : b, false).moving(), "frame " + i + " of an A/B flicker counted as still");
        }
    }

    @Test
    void somethingLeftInTheSceneBecomesBackground() throws Exception {
        byte[] empty = frame("leonard", 1);
        MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
        gate.check(empty, false);
        List<byte[]> parked = CameraFrames.stillScene(edit(empty, new Rect(40, 300, 120, 120), new Scalar(250, 250, 250), 0), 4);
        assertTrue(gate.check(parked.get(0), false).moving());
        boolean settled = false;
        for (int i = 0; i < 300 && !settled; i++) {
            settled = !gate.check(parked.get(i % parked.size()), false).moving();
        }
        assertTrue(settled, "a box left in the scene still counts as motion after 300 frames");
    }

    @Test
    void aFrameThatDoesNotDecodeCountsAsMoving() throws Exception {
        MotionGate gate = new MotionGate(THRESHOLD, MIN_AREA);
        gate.check(frame("raj", 1), false);
        assertTrue(gate.check(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}, false).moving(), "the full decode must see it and say why");
    }
}
