package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import io.camserver.vision.opencv.VisionModels;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/** ONNX Runtime and OpenCV DNN run the same fr_feature file: their vectors must agree. */
class EmbedderBackendsTest {
    @Test
    void bothBackendsGiveTheSameEmbeddingForARealFace() {
        VisionModels ort = Fixtures.stillModels();
        VisionModels cv = new VisionModels(Fixtures.store(), DetectorConfig.stillDefaults(),
                new EmbedderConfig(EmbedderConfig.Kind.FR_FEATURE, Optional.empty(), true, EmbedderConfig.Backend.OPENCV));
        assertEquals(ort.embedderModelId(), cv.embedderModelId(), "same weights, same id: vectors may share a gallery");
        Mat img = Fixtures.read(Fixtures.person("howard", 3));
        try (FaceAnalyzer a = Fixtures.analyzer(ort); FaceEmbedder cvEmb = cv.newEmbedder();
             AlignedFace face = a.align(img, a.detect(img).get(0))) {
            Embedding x = a.embed(face);
            Embedding y = cvEmb.embed(face);
            assertEquals(512, x.dimension());
            assertTrue(x.cosine(y) > 0.999f, "backends disagree: cosine " + x.cosine(y));
        } finally {
            img.release();
        }
    }

    @Test
    void flipAndNoFlipVectorsOfOneFaceAreClose() {
        VisionModels vm = Fixtures.stillModels();
        Mat img = Fixtures.read(Fixtures.person("raj", 2));
        try (FaceAnalyzer a = Fixtures.analyzer(vm); FaceEmbedder plain = vm.newEmbedder(false);
             AlignedFace face = a.align(img, a.detect(img).get(0))) {
            float c = a.embed(face).cosine(plain.embed(face));
            assertTrue(c > 0.9f, "flip-averaged and plain vectors should be near each other: " + c);
        } finally {
            img.release();
        }
    }
}
