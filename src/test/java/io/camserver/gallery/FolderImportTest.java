package io.camserver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.support.Fixtures;
import io.camserver.vision.FaceAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Every file of a demo-layout gallery gets a verdict; names with spaces work. */
class FolderImportTest {

    @Test
    void reportsEveryFileThatCannotBeEnrolledWithItsReason(@TempDir Path tmp) throws Exception {
        Path mary = Files.createDirectories(tmp.resolve("Mary Ann Smith"));
        Files.copy(Fixtures.person("amy", 1), mary.resolve("good.png"));
        Files.copy(Fixtures.faces().resolve("negatives/white.png"), mary.resolve("blank.png"));
        Files.writeString(mary.resolve("notes.jpg"), "not a photo");
        Files.writeString(mary.resolve("readme.txt"), "hello");
        Files.write(tmp.resolve("loose.jpg"), new byte[] {1, 2, 3});
        Files.createDirectories(tmp.resolve("Empty Person"));
        Files.writeString(mary.resolve(".hidden.jpg"), "ignored on purpose, like every dot file");

        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            FolderImport.Report r = new FolderImport(a, new ImageDecoder(ImageLimits.DEFAULT)).scan(tmp);
            assertEquals(1, r.enrolled().size());
            assertEquals("Mary Ann Smith", r.enrolled().get(0).person().name());
            Map<String, String> why = r.rejected().stream()
                    .collect(Collectors.toMap(x -> tmp.relativize(x.file()).toString(), FolderImport.Rejected::reason));
            assertEquals("no face found", why.get("Mary Ann Smith/blank.png"));
            assertTrue(why.get("Mary Ann Smith/notes.jpg").startsWith("not a supported image"), why.toString());
            assertTrue(why.get("Mary Ann Smith/readme.txt").startsWith("not an image file name"), why.toString());
            assertTrue(why.get("loose.jpg").startsWith("not inside a person folder"), why.toString());
            assertEquals("person folder has no images", why.get("Empty Person"));
            assertEquals(5, why.size(), why.toString());
        }
    }

    @Test
    void aPhotoWithTwoSimilarFacesIsRefusedAndOneWithADominantFaceIsUsed(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("Group"));
        Files.copy(Fixtures.faces().resolve("scenes/group-4.jpg"), dir.resolve("group.jpg"));
        // One face shrunk into a corner of a bigger one: the big face dominates.
        Mat big = Fixtures.read(Fixtures.person("raj", 1));
        Mat large = new Mat();
        Imgproc.resize(big, large, new org.opencv.core.Size(600, 600));
        Mat small = Fixtures.read(Fixtures.person("amy", 1));
        small.copyTo(large.submat(new org.opencv.core.Rect(0, 450, 150, 150)));
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", large, buf);
        Files.write(dir.resolve("dominant.jpg"), buf.toArray());
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            FolderImport.Report r = new FolderImport(a, new ImageDecoder(ImageLimits.DEFAULT)).scan(tmp);
            assertEquals(1, r.rejected().size(), r.toString());
            assertTrue(r.rejected().get(0).reason().startsWith("6 faces of similar size; cannot tell which one is Group"),
                    r.rejected().get(0).reason());
            assertEquals(1, r.enrolled().size());
            assertTrue(r.enrolled().get(0).note().orElseThrow().contains("enrolled the largest"), r.enrolled().get(0).toString());
        } finally {
            big.release();
            large.release();
            small.release();
        }
    }

    @Test
    void aMissingFolderIsAnErrorNotAnEmptyGallery(@TempDir Path tmp) {
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            IOException e = assertThrows(IOException.class,
                    () -> new FolderImport(a, new ImageDecoder(ImageLimits.DEFAULT)).scan(tmp.resolve("nope")));
            assertTrue(e.getMessage().endsWith("nope does not exist or is not a folder"), e.getMessage());
        }
    }
}
