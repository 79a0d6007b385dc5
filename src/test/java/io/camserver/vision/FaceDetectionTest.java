package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import io.camserver.support.SceneTruth;
import io.camserver.vision.opencv.VisionModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

/** Real BlazeFace models on real photos: anchor decoding, letterbox removal and suppression end to end. */
class FaceDetectionTest {

    private static void assertSceneFound(VisionModels models) {
        SceneTruth truth = SceneTruth.load("group-4");
        Mat img = Fixtures.read(truth.image());
        try (FaceAnalyzer a = Fixtures.analyzer(models)) {
            List<Detection> found = a.detect(img);
            List<Detection> unclaimed = new ArrayList<>(found);
            for (SceneTruth.Face f : truth.faces()) {
                Detection hit = found.stream().filter(d -> d.box().contains(f.cx(), f.cy())).findFirst()
                        .orElseThrow(() -> new AssertionError(models.detectorConfig().kind().id() + " missed " + f.name() + " in " + found));
                unclaimed.remove(hit);
            }
            assertTrue(unclaimed.isEmpty(), "faces reported that are not in the scene: " + unclaimed);
        } finally {
            img.release();
        }
    }

    @Test
    void fullRangeFindsEverySceneFaceAndNothingElse() {
        assertSceneFound(Fixtures.liveModels());
    }

    @Test
    void dualFindsEverySceneFaceAndNothingElse() {
        assertSceneFound(Fixtures.stillModels());
    }

    /**
     * The live pipeline runs the detector on a frame decoded at a fraction of its size: the
     * faces must be the same ones, in the full frame's pixels, as from the full-size decode.
     */
    @Test
    void detectionAtTheDetectorsScaleMatchesFullSize() throws Exception {
        SceneTruth truth = SceneTruth.load("group-4");
        Mat img = Fixtures.read(truth.image());
        var decoder = new io.camserver.image.ImageDecoder(io.camserver.image.ImageLimits.DEFAULT);
        org.opencv.core.MatOfByte buf = new org.opencv.core.MatOfByte();
        org.opencv.imgcodecs.Imgcodecs.imencode(".jpg", img, buf);
        byte[] jpeg = buf.toArray();
        buf.release();
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.liveModels())) {
            int r = a.reduction(img.cols(), img.rows());
            assertTrue(r >= 2, "a " + img.cols() + "x" + img.rows() + " photo should be reduced for the detector, got 1/" + r);
            Mat full = decoder.decode(jpeg);
            Mat small = decoder.decode(jpeg, r);
            try {
                assertEquals((img.cols() + r - 1) / r, small.cols());
                List<Detection> reference = a.detect(full);
                List<Detection> reduced = a.detect(small, r);
                assertEquals(truth.faces().size(), reference.size(), "full size: " + reference);
                assertEquals(reference.size(), reduced.size(), "at 1/" + r + ": " + reduced + " against " + reference);
                for (Detection d : reduced) {
                    Detection ref = reference.stream().max((x, y) -> Float.compare(x.box().iou(d.box()), y.box().iou(d.box()))).orElseThrow();
                    assertTrue(ref.box().iou(d.box()) > 0.75f, "box at 1/" + r + " " + d.box() + " against " + ref.box());
                    for (int k = 0; k < 3; k++) {
                        double dist = Math.hypot(ref.landmarks().x(k) - d.landmarks().x(k), ref.landmarks().y(k) - d.landmarks().y(k));
                        assertTrue(dist < 0.08 * ref.box().w(), "point " + k + " moved " + dist + " px in a " + ref.box().w() + " px face");
                    }
                }
            } finally {
                full.release();
                small.release();
            }
        } finally {
            img.release();
        }
    }

    @Test
    void blankImageHasNoFace() {
        Mat img = Fixtures.read(Fixtures.faces().resolve("negatives/white.png"));
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            assertEquals(List.of(), a.detect(img));
        } finally {
            img.release();
        }
    }

    @Test
    void everyTightCropHasExactlyOneFaceWithTheDualDetector() {
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            for (String p : Fixtures.people()) {
                for (int i = 1; i <= 5; i++) {
                    Mat img = Fixtures.read(Fixtures.person(p, i));
                    assertEquals(1, a.detect(img).size(), p + i);
                    img.release();
                }
            }
        }
    }

    /**
     * A face pasted at a known place in a larger, non-square canvas must come back at that
     * place: checks that the letterbox offset and scale are undone, and that the keypoints are
     * in ArcFace order (image-left eye first, eyes above nose above mouth).
     */
    @Test
    void boxesAndKeypointsLandWhereTheFaceIs() {
        Mat face = Fixtures.read(Fixtures.person("sheldon", 1));
        // Off-centre in a wide canvas: the letterbox pads top and bottom, the face sits right.
        Mat canvas = new Mat(300, 480, CvType.CV_8UC3, new Scalar(120, 130, 140));
        int ox = 300;
        int oy = 120;
        face.copyTo(canvas.submat(new Rect(ox, oy, face.cols(), face.rows())));
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            List<Detection> found = a.detect(canvas);
            assertEquals(1, found.size(), "faces: " + found);
            Detection d = found.get(0);
            assertTrue(d.box().contains(ox + 75, oy + 75), "box " + d.box() + " should hold the crop centre");
            assertTrue(d.box().w() > 60 && d.box().w() < 200, "box width " + d.box().w());
            Landmarks l = d.landmarks();
            assertTrue(l.x(0) < l.x(1), "image-left eye comes first: " + l);
            float eyeY = (l.y(0) + l.y(1)) / 2;
            assertTrue(eyeY < l.y(2) && l.y(2) < l.y(3), "eyes above nose above mouth: " + l);
            for (int i = 0; i < Landmarks.COUNT; i++) {
                assertTrue(l.x(i) > ox && l.x(i) < ox + 150 && l.y(i) > oy && l.y(i) < oy + 150, "point " + i + " outside the crop: " + l);
            }
        } finally {
            face.release();
            canvas.release();
        }
    }
}
