package io.camserver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.support.Fixtures;
import io.camserver.support.SceneTruth;
import io.camserver.vision.Detection;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** Recognition end to end with the real models, the default threshold and the default margin. */
class RecognitionTest {
    private static VisionModels models;
    private static FaceAnalyzer analyzer;
    private static MatchConfig defaults;

    @BeforeAll
    static void load() {
        models = Fixtures.stillModels();
        analyzer = Fixtures.analyzer(models);
        defaults = new MatchConfig(EmbedderConfig.Kind.FR_FEATURE.defaultThreshold(), 0.05f);
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    private static EmbeddingIndex gallery(Path dir) throws Exception {
        FolderImport.Report r = new FolderImport(analyzer, new ImageDecoder(ImageLimits.DEFAULT)).scan(dir);
        assertEquals(List.of(), r.rejected(), "every gallery image should enroll");
        return FolderImport.toIndex(r, models.embedderModelId(), defaults);
    }

    /** Copies images {@code from..to} of each person (except {@code skip}) into a gallery folder. */
    private static Path galleryFolder(Path root, int from, int to, String skip) throws Exception {
        for (String p : Fixtures.people()) {
            if (p.equals(skip)) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve(p));
            for (int i = from; i <= to; i++) {
                Files.copy(Fixtures.person(p, i), dir.resolve(p + i + ".png"));
            }
        }
        return root;
    }

    private static Match matchOnlyFace(EmbeddingIndex idx, Path image) {
        Mat img = Fixtures.read(image);
        try {
            List<Detection> d = analyzer.detect(img);
            assertEquals(1, d.size(), image + " faces");
            return idx.match(analyzer.embed(img, d.get(0)));
        } finally {
            img.release();
        }
    }

    @Test
    void probesFourAndFiveAreNamedFromAGalleryOfOneToThree(@TempDir Path tmp) throws Exception {
        EmbeddingIndex idx = gallery(galleryFolder(tmp, 1, 3, null));
        assertEquals(8, idx.size());
        List<String> wrong = new ArrayList<>();
        for (String p : Fixtures.people()) {
            for (int i = 4; i <= 5; i++) {
                Match m = matchOnlyFace(idx, Fixtures.person(p, i));
                if (!m.displayName().equals(p)) {
                    wrong.add(p + i + " -> " + m.displayName() + " (" + m.similarity() + ", " + m.reason() + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aPersonLeftOutOfTheGalleryIsUnknownNotSomeoneElse(@TempDir Path tmp) throws Exception {
        for (String absent : List.of("stuart", "howard")) {
            Path root = Files.createDirectories(tmp.resolve("without-" + absent));
            EmbeddingIndex idx = gallery(galleryFolder(root, 1, 5, absent));
            for (int i = 1; i <= 5; i++) {
                Match m = matchOnlyFace(idx, Fixtures.person(absent, i));
                assertFalse(m.known(), absent + i + " was named " + m.displayName() + " at " + m.similarity());
            }
        }
    }

    @Test
    void everyFaceInTheGroupSceneIsNamed(@TempDir Path tmp) throws Exception {
        EmbeddingIndex idx = gallery(galleryFolder(tmp, 1, 5, null));
        SceneTruth truth = SceneTruth.load("group-4");
        Mat img = Fixtures.read(truth.image());
        try {
            List<Detection> found = analyzer.detect(img);
            assertEquals(truth.faces().size(), found.size(), "faces in scene");
            for (SceneTruth.Face f : truth.faces()) {
                Detection d = found.stream().filter(x -> x.box().contains(f.cx(), f.cy())).findFirst().orElseThrow();
                Match m = idx.match(analyzer.embed(img, d));
                assertEquals(f.name(), m.displayName(), f.name() + " at " + m.similarity() + " " + m.reason());
            }
        } finally {
            img.release();
        }
    }

    @Test
    void seedGalleryPeopleAreUnknownToThePeopleGalleryAndNamedByTheirOwn(@TempDir Path tmp) throws Exception {
        EmbeddingIndex people = gallery(galleryFolder(tmp, 1, 5, null));
        Path seed = Fixtures.faces().resolve("seed-gallery");
        EmbeddingIndex own = gallery(seed);
        assertEquals(2, own.size());
        try (var dirs = Files.list(seed)) {
            for (Path dir : dirs.toList()) {
                try (var files = Files.list(dir)) {
                    for (Path photo : files.toList()) {
                        Match stranger = matchOnlyFace(people, photo);
                        assertFalse(stranger.known(), photo + " named " + stranger.displayName() + " at " + stranger.similarity());
                        Match named = matchOnlyFace(own, photo);
                        assertEquals(dir.getFileName().toString(), named.displayName());
                        assertTrue(named.similarity() > 0.9f, "same photo should match itself, was " + named.similarity());
                    }
                }
            }
        }
    }
}
