package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import io.camserver.vision.opencv.VisionModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.imgproc.Imgproc;

/** Alignment with the real detector and embedder. */
class AlignmentTest {

    @Test
    void alignmentLevelsTheEyesOfARotatedFace() {
        VisionModels vm = Fixtures.stillModels();
        Mat rotated = rotatedPadded(Fixtures.person("penny", 2), 20);
        try (FaceAnalyzer a = Fixtures.analyzer(vm)) {
            Detection d = a.detect(rotated).get(0);
            double before = tilt(d.landmarks());
            assertTrue(Math.abs(before) > 12, "the input should be visibly tilted, was " + before);
            try (AlignedFace face = a.align(rotated, d)) {
                assertEquals(112, face.pixels().cols());
                assertEquals(112, face.pixels().rows());
                // detect again on the aligned crop, enlarged and padded for the detector
                Mat big = new Mat();
                Imgproc.resize(face.pixels(), big, new org.opencv.core.Size(336, 336));
                Mat padded = new Mat();
                Core.copyMakeBorder(big, padded, 80, 80, 80, 80, Core.BORDER_CONSTANT);
                List<Detection> again = a.detect(padded);
                assertEquals(1, again.size());
                double after = tilt(again.get(0).landmarks());
                // BlazeFace keypoints are a few pixels noisy; what matters is that 20 degrees became ~0
                assertTrue(Math.abs(after) < 8, "eye line tilt after alignment " + after + " (before " + before + ")");
                big.release();
                padded.release();
            }
        } finally {
            rotated.release();
        }
    }

    private static double tilt(Landmarks l) {
        return Math.toDegrees(Math.atan2(l.y(1) - l.y(0), l.x(1) - l.x(0)));
    }

    private static Mat rotatedPadded(java.nio.file.Path photo, double degrees) {
        Mat img = Fixtures.read(photo);
        Mat padded = new Mat();
        Core.copyMakeBorder(img, padded, 60, 60, 60, 60, Core.BORDER_REPLICATE);
        Mat rotated = new Mat();
        Mat rot = Imgproc.getRotationMatrix2D(new Point(padded.cols() / 2.0, padded.rows() / 2.0), degrees, 1.0);
        Imgproc.warpAffine(padded, rotated, rot, padded.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
        img.release();
        padded.release();
        rot.release();
        return rotated;
    }

    /**
     * Rotating a photo by 25 degrees must barely move its embedding once aligned: that is what
     * alignment is for. Without alignment (the box crop resized) the same rotation hurts more.
     */
    @Test
    void alignmentMakesTheEmbeddingRobustToInPlaneRotation() {
        VisionModels vm = Fixtures.stillModels();
        Mat img = Fixtures.read(Fixtures.person("leonard", 1));
        Mat padded = new Mat();
        Core.copyMakeBorder(img, padded, 60, 60, 60, 60, Core.BORDER_REPLICATE);
        Mat rotated = new Mat();
        Mat rot = Imgproc.getRotationMatrix2D(new Point(padded.cols() / 2.0, padded.rows() / 2.0), 25, 1.0);
        Imgproc.warpAffine(padded, rotated, rot, padded.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
        try (FaceAnalyzer a = Fixtures.analyzer(vm)) {
            Detection d0 = a.detect(padded).get(0);
            Detection d1 = a.detect(rotated).get(0);
            float aligned = a.embed(padded, d0).cosine(a.embed(rotated, d1));
            float unaligned = boxEmbedding(a, padded, d0).cosine(boxEmbedding(a, rotated, d1));
            assertTrue(aligned > 0.8f, "aligned similarity under rotation " + aligned);
            assertTrue(aligned > unaligned + 0.05f, "aligned " + aligned + " should beat unaligned " + unaligned);
        } finally {
            img.release();
            padded.release();
            rotated.release();
            rot.release();
        }
    }

    /** The face box resized to 112x112 without using the keypoints. */
    private static Embedding boxEmbedding(FaceAnalyzer a, Mat img, Detection d) {
        Box b = d.box();
        // A "detection" whose keypoints are the template's own layout scaled into the box:
        // alignment then reduces to a plain crop and resize.
        float[] t = {38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};
        float[] pts = new float[10];
        for (int i = 0; i < 10; i += 2) {
            pts[i] = b.x() + t[i] / 112f * b.w();
            pts[i + 1] = b.y() + t[i + 1] / 112f * b.h();
        }
        return a.embed(img, new Detection(b, d.score(), new Landmarks(pts)));
    }
}
