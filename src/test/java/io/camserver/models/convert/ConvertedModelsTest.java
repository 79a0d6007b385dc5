package io.camserver.models.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.models.ModelCatalog;
import io.camserver.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MobileFaceNet's TFLite file is converted once, kept beside it with its hash, and read back on the next start. */
class ConvertedModelsTest {
    private static Path copyOfMobileFaceNet(Path dir) throws Exception {
        Path src = Fixtures.store().require(ModelCatalog.MOBILEFACENET);
        return Files.copy(src, dir.resolve(src.getFileName()));
    }

    @Test
    void convertsOnceThenReadsTheKeptConversion(@TempDir Path dir) throws Exception {
        Path tflite = copyOfMobileFaceNet(dir);
        byte[] first = ConvertedModels.onnx(tflite);
        Path cached = ConvertedModels.cacheFile(tflite, ConvertedModels.sha256(Files.readAllBytes(tflite)));
        assertTrue(Files.isRegularFile(cached), "the conversion is kept beside the model");
        assertArrayEquals(first, Files.readAllBytes(cached));
        assertEquals(ConvertedModels.sha256(first), Files.readString(cached.resolveSibling(cached.getFileName() + ".sha256")).trim());

        // The second start reads the file instead of converting: mark it and see it is not rewritten.
        FileTime marked = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(cached, marked);
        assertArrayEquals(first, ConvertedModels.onnx(tflite));
        assertEquals(marked, Files.getLastModifiedTime(cached), "an intact conversion is read, not made again");
    }

    @Test
    void aDamagedConversionIsMadeAgain(@TempDir Path dir) throws Exception {
        Path tflite = copyOfMobileFaceNet(dir);
        byte[] good = ConvertedModels.onnx(tflite);
        Path cached = ConvertedModels.cacheFile(tflite, ConvertedModels.sha256(Files.readAllBytes(tflite)));
        Files.write(cached, java.util.Arrays.copyOf(good, good.length / 2)); // cut short, as by a full disk
        assertArrayEquals(good, ConvertedModels.onnx(tflite));
        assertArrayEquals(good, Files.readAllBytes(cached), "the damaged file is replaced");
    }

    @Test
    void anotherModelNeverReadsThisOnesConversion(@TempDir Path dir) throws Exception {
        Path tflite = copyOfMobileFaceNet(dir);
        Path a = ConvertedModels.cacheFile(tflite, ConvertedModels.sha256(Files.readAllBytes(tflite)));
        Path b = ConvertedModels.cacheFile(tflite, ConvertedModels.sha256(new byte[] {1, 2, 3}));
        assertNotEquals(a, b, "the cache name carries the source's hash");
        assertTrue(a.getFileName().toString().contains(".v" + ConvertedModels.CONVERTER_VERSION + "."), "and the converter's version");
    }

    @Test
    void aConversionThatCannotBeKeptIsStillUsed(@TempDir Path dir) throws Exception {
        Path tflite = copyOfMobileFaceNet(dir);
        // Something in the way of the cache file (as a read-only image would be: root writes anywhere,
        // so a folder in its place stands in for the failing write).
        Path cached = ConvertedModels.cacheFile(tflite, ConvertedModels.sha256(Files.readAllBytes(tflite)));
        Files.createDirectories(cached.resolve("in-the-way"));
        byte[] onnx = ConvertedModels.onnx(tflite);
        assertTrue(onnx.length > 1000, "converted in memory");
        assertTrue(Files.isDirectory(cached), "nothing was kept");
    }
}
