package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SimilarityTransformTest {
    private static float[] apply(double[] m, float[] pts) {
        float[] out = new float[pts.length];
        for (int i = 0; i < pts.length; i += 2) {
            out[i] = (float) (m[0] * pts[i] + m[1] * pts[i + 1] + m[2]);
            out[i + 1] = (float) (m[3] * pts[i] + m[4] * pts[i + 1] + m[5]);
        }
        return out;
    }

    @Test
    void recoversAKnownRotationScaleAndShiftExactly() {
        double angle = Math.toRadians(23);
        double scale = 0.37;
        double[] truth = {scale * Math.cos(angle), -scale * Math.sin(angle), 12.5, scale * Math.sin(angle), scale * Math.cos(angle), -4.0};
        float[] src = {310, 220, 402, 215, 355, 270, 320, 330, 395, 328};
        float[] dst = apply(truth, src);
        double[] m = SimilarityTransform.estimate(src, dst);
        for (int i = 0; i < 6; i++) {
            assertEquals(truth[i], m[i], 1e-4, "matrix element " + i); // float inputs
        }
    }

    @Test
    void mapsATiltedFaceOntoTheArcFaceTemplateWithSmallResidual() {
        // The template rotated by 30 degrees, scaled x2.5 and moved: the fit must undo it.
        double a = Math.toRadians(30);
        double[] fwd = {2.5 * Math.cos(a), -2.5 * Math.sin(a), 200, 2.5 * Math.sin(a), 2.5 * Math.cos(a), 80};
        float[] face = apply(fwd, FaceTemplate.ARCFACE_112);
        float[] back = apply(SimilarityTransform.estimate(face, FaceTemplate.ARCFACE_112), face);
        for (int i = 0; i < back.length; i++) {
            assertEquals(FaceTemplate.ARCFACE_112[i], back[i], 1e-3);
        }
    }

    @Test
    void neverReflects() {
        // Mirror-image points: the best similarity without reflection cannot map them exactly.
        float[] src = {0, 0, 10, 0, 0, 10};
        float[] dst = {0, 0, -10, 0, 0, 10};
        double[] m = SimilarityTransform.estimate(src, dst);
        double det = m[0] * m[4] - m[1] * m[3];
        assertEquals(true, det >= 0, "determinant " + det);
    }

    @Test
    void refusesCoincidentPoints() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimilarityTransform.estimate(new float[] {5, 5, 5, 5}, new float[] {1, 2, 3, 4}));
        assertEquals("source points coincide; cannot fit a similarity", e.getMessage());
    }
}
