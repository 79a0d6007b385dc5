package io.camserver.vision.opencv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.vision.Box;
import io.camserver.vision.Detection;
import io.camserver.vision.Landmarks;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedNmsTest {
    private static Detection det(float x, float y, float size, float score) {
        float[] pts = new float[10];
        for (int i = 0; i < 10; i += 2) {
            pts[i] = x + size / 2;
            pts[i + 1] = y + size / 2;
        }
        return new Detection(new Box(x, y, size, size), score, new Landmarks(pts));
    }

    @Test
    void overlappingCandidatesBecomeOneScoreWeightedFace() {
        List<Detection> out = WeightedNms.apply(List.of(det(100, 100, 50, 0.9f), det(110, 100, 50, 0.3f), det(400, 50, 40, 0.7f)), 0.3f, 10);
        assertEquals(2, out.size());
        Detection merged = out.get(0);
        assertEquals(0.9f, merged.score(), 1e-6);
        // x is (100*0.9 + 110*0.3) / 1.2 = 102.5
        assertEquals(102.5f, merged.box().x(), 1e-4);
        assertEquals(102.5f + 25, merged.landmarks().x(0), 1e-4);
        assertEquals(400f, out.get(1).box().x(), 1e-6);
    }

    @Test
    void keepsAtMostMaxFacesMostConfidentFirst() {
        List<Detection> out = WeightedNms.apply(List.of(det(0, 0, 10, 0.5f), det(100, 0, 10, 0.9f), det(200, 0, 10, 0.7f)), 0.3f, 2);
        assertEquals(2, out.size());
        assertEquals(0.9f, out.get(0).score(), 1e-6);
        assertEquals(0.7f, out.get(1).score(), 1e-6);
    }
}
