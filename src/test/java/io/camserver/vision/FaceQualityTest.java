package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.analysis.AnalysisConfig;
import io.camserver.image.MatScope;
import io.camserver.support.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Which views are good enough to name a face: geometry from the landmarks, sharpness from real pixels. */
class FaceQualityTest {
    private static final FaceQuality.Limits LIMITS = AnalysisConfig.DEFAULT_QUALITY;

    private static Detection face(float height, float noseX) {
        float[] pts = {100, 100, 160, 100, noseX, 130, 130, 160, 130, 160};
        return new Detection(new Box(80, 60, height, height), 0.9f, new Landmarks(pts));
    }

    @Test
    void yawComesFromTheNoseBetweenTheEyes() {
        assertEquals(0, FaceQuality.of(face(100, 130)).yaw(), 0.5, "nose midway between the eyes: facing the camera");
        // nose offset half the eye distance: atan(0.5 / 0.6) = 39.8 degrees
        assertEquals(39.8, FaceQuality.of(face(100, 160)).yaw(), 0.5);
        assertEquals(39.8, FaceQuality.of(face(100, 100)).yaw(), 0.5, "turned the other way counts the same");
        assertEquals(59.0, FaceQuality.of(face(100, 190)).yaw(), 0.5);
        float[] profile = {130, 100, 130, 100, 150, 130, 130, 160, 130, 160};
        assertEquals(90, FaceQuality.of(new Detection(new Box(80, 60, 100, 100), 0.9f, new Landmarks(profile))).yaw(), 0.5,
                "eyes on top of each other: a profile");
    }

    @Test
    void limitsSaySmallTurnedOrBlurred() {
        assertEquals(Optional.of("small"), LIMITS.reject(FaceQuality.of(face(20, 130))));
        assertEquals(Optional.of("turned"), LIMITS.reject(FaceQuality.of(face(100, 190))));
        assertEquals(Optional.empty(), LIMITS.reject(FaceQuality.of(face(100, 150))), "20 degrees is a fine view");
        assertEquals(Optional.empty(), LIMITS.reject(FaceQuality.of(face(100, 130))), "no sharpness yet: judged on geometry only");
        assertEquals(Optional.of("blurred"), LIMITS.reject(new FaceQuality(100, 3, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FaceQuality.Limits(32, 15, 120));
        assertTrue(e.getMessage().contains("quality.maxYaw") && e.getMessage().contains("120"), e.getMessage());
    }

    @Test
    void blurFlattensTheAlignedFaceAndSharpFacesPass() {
        FaceAnalyzer analyzer = Fixtures.analyzer(Fixtures.liveModels());
        for (String person : List.of("amy", "howard", "stuart")) {
            try (MatScope s = new MatScope()) {
                Mat img = s.add(Fixtures.read(Fixtures.person(person, 2)));
                Mat big = s.mat();
                Imgproc.resize(img, big, new Size(480, 480), 0, 0, Imgproc.INTER_CUBIC);
                Mat blurred = s.mat();
                Imgproc.GaussianBlur(big, blurred, new Size(0, 0), 20);
                List<Detection> sharpFaces = analyzer.detect(big);
                List<Detection> blurFaces = analyzer.detect(blurred);
                assertFalse(sharpFaces.isEmpty() || blurFaces.isEmpty(), person + ": the detector must still see both");
                float sharp;
                float blur;
                try (AlignedFace f = analyzer.align(big, sharpFaces.get(0))) {
                    sharp = FaceQuality.of(sharpFaces.get(0)).withSharpness(f).sharpness();
                }
                try (AlignedFace f = analyzer.align(blurred, blurFaces.get(0))) {
                    blur = FaceQuality.of(blurFaces.get(0)).withSharpness(f).sharpness();
                }
                assertTrue(sharp > 4 * LIMITS.minSharpness(), person + ": sharp face measured " + sharp);
                assertTrue(blur < LIMITS.minSharpness(), person + ": a blur of 4 % of the face measured " + blur);
            }
        }
    }
}
