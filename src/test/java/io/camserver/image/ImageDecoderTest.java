package io.camserver.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

    @BeforeAll
    static void opencv() {
        OpenCvRuntime.load();
    }

    private static byte[] sceneJpeg() throws Exception {
        return Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
    }

    private String reason(byte[] data) {
        return assertThrows(ImageDecodeException.class, () -> decoder.decode(data).release()).getMessage();
    }

    @Test
    void decodesARealJpegToBgr() throws Exception {
        Mat m = decoder.decode(sceneJpeg());
        assertEquals(710, m.cols());
        assertEquals(473, m.rows());
        assertEquals(CvType.CV_8UC3, m.type());
        m.release();
    }

    @Test
    void grayscalePngBecomesThreeChannels() throws Exception {
        Mat gray = new Mat(40, 60, CvType.CV_8UC1, new Scalar(128));
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".png", gray, buf);
        Mat m = decoder.decode(buf.toArray());
        assertEquals(CvType.CV_8UC3, m.type());
        assertEquals(60, m.cols());
        m.release();
        gray.release();
    }

    @Test
    void truncatedJpegIsRefusedNotHalfDecoded() throws Exception {
        byte[] full = sceneJpeg();
        String why = reason(Arrays.copyOf(full, full.length / 2));
        assertTrue(why.startsWith("truncated JPEG"), why);
        // cut just before the end-of-image marker too
        String late = reason(Arrays.copyOf(full, full.length - 2));
        assertTrue(late.startsWith("truncated JPEG"), late);
    }

    @Test
    void jpegWithBytesAfterTheEndMarkerIsAccepted() throws Exception {
        byte[] full = sceneJpeg();
        byte[] padded = Arrays.copyOf(full, full.length + 100);
        decoder.decode(padded).release();
    }

    @Test
    void emptyFileSaysSo() {
        assertEquals("empty file (0 bytes)", reason(new byte[0]));
    }

    @Test
    void textFileIsNamedAsText() {
        String why = reason("hello, I am not a picture\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("not a supported image (JPEG, PNG, BMP, WebP): starts with bytes 68 65 6c 6c 6f 2c 20 49 (looks like text)", why);
    }

    @Test
    void pngBombIsRefusedFromItsHeader() throws Exception {
        String why = reason(io.camserver.support.TestImages.png(100_000, 100_000, new byte[] {0}));
        assertEquals("PNG declares 100000x100000 = 10000000000 pixels, over the limit of 40000000", why);
    }

    @Test
    void truncatedPngIsRefused() throws Exception {
        Mat img = new Mat(64, 64, CvType.CV_8UC3, new Scalar(10, 200, 30));
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".png", img, buf);
        byte[] full = buf.toArray();
        String why = reason(Arrays.copyOf(full, full.length - 20));
        assertTrue(why.startsWith("truncated PNG"), why);
        img.release();
    }

    @Test
    void oversizedInputIsRefusedByByteCount() {
        ImageDecoder small = new ImageDecoder(new ImageLimits(2048, 1_000_000));
        byte[] big = new byte[4096];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> small.decode(big));
        assertEquals("image is 4096 bytes, over the limit of 2048", e.getMessage());
    }

    @Test
    void limitsAreValidatedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageLimits(10, 1_000_000));
        assertEquals("image.maxBytes must be >= 1024 (was 10)", e.getMessage());
    }
}
