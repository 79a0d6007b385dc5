package io.camserver.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.models.ModelStore;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * Shared test data: the labelled faces in ../shared (read-only, never needed by the product)
 * and the real pinned models, fetched into the user's model cache on first use.
 */
public final class Fixtures {
    private static VisionModels stillModels;
    private static VisionModels liveModels;

    private Fixtures() {
    }

    public static Path shared() {
        Path p = Path.of(System.getProperty("camserver.shared", "../shared")).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(p.resolve("faces")), "test data folder " + p + "/faces is missing");
        return p;
    }

    public static Path faces() {
        return shared().resolve("faces");
    }

    public static Path person(String name, int n) {
        return faces().resolve("people").resolve(name).resolve(name + n + ".png");
    }

    public static List<String> people() {
        try (Stream<Path> s = Files.list(faces().resolve("people"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelStore store() {
        return new ModelStore(ModelStore.defaultRoot(System.getenv()), true, m -> System.err.println("test: " + m));
    }

    /** Dual-BlazeFace models, as the CLI uses for photos. */
    public static synchronized VisionModels stillModels() {
        if (stillModels == null) {
            stillModels = new VisionModels(store(), DetectorConfig.stillDefaults(), EmbedderConfig.defaults());
        }
        return stillModels;
    }

    /** Full-range models, as live cameras use. */
    public static synchronized VisionModels liveModels() {
        if (liveModels == null) {
            liveModels = stillModels().withDetector(store(), DetectorConfig.defaults()); // one embedder, timed once
        }
        return liveModels;
    }

    public static FaceAnalyzer analyzer(VisionModels m) {
        return new FaceAnalyzer(m.newDetector(), m.aligner(), m.newEmbedder());
    }

    public static Mat read(Path p) {
        try {
            return new ImageDecoder(ImageLimits.DEFAULT).decode(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ImageDecodeException e) {
            throw new AssertionError(p + ": " + e.getMessage(), e);
        }
    }
}
