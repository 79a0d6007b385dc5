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

    @Test
    void autoTimesBothBackendsOnThisCpuAndUsesTheFaster() {
        VisionModels auto = new VisionModels(Fixtures.store(), DetectorConfig.defaults(),
                new EmbedderConfig(EmbedderConfig.Kind.FR_FEATURE, Optional.empty(), false, EmbedderConfig.Backend.AUTO));
        long t0 = System.nanoTime();
        VisionModels.BackendChoice c = auto.backend();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(c.timed() && c.onnxRuntimeMs() > 0 && c.openCvMs() > 0, c.describe());
        assertEquals(c.onnxRuntimeMs() <= c.openCvMs() ? EmbedderConfig.Backend.ONNXRUNTIME : EmbedderConfig.Backend.OPENCV, c.chosen());
        assertTrue(c.describe().contains("ONNX Runtime") && c.describe().contains("OpenCV DNN"), c.describe());
        System.out.printf("embedder auto: %s, decided in %.2f s%n", c.describe(), seconds);
        try (FaceEmbedder e = auto.newEmbedder(false)) {
            assertEquals(auto.embedderModelId(), e.modelId(), "the chosen backend embeds with the same model id");
        }
        VisionModels configured = new VisionModels(Fixtures.store(), DetectorConfig.defaults(),
                new EmbedderConfig(EmbedderConfig.Kind.FR_FEATURE, Optional.empty(), false, EmbedderConfig.Backend.OPENCV));
        assertEquals(new VisionModels.BackendChoice(EmbedderConfig.Backend.OPENCV, false, 0, 0), configured.backend(), "an explicit choice is kept");
    }
}
