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
    void reducedDecodesAreTheDeclaredSizeDividedAndRoundedUp() throws Exception {
        byte[] jpeg = sceneJpeg();
        assertEquals(new ImageSize(710, 473), decoder.size(jpeg));
        for (int r : new int[] {1, 2, 4, 8}) {
            Mat m = decoder.decode(jpeg, r);
            assertEquals((710 + r - 1) / r, m.cols(), "1/" + r);
            assertEquals((473 + r - 1) / r, m.rows(), "1/" + r);
            assertEquals(CvType.CV_8UC3, m.type());
            m.release();
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> decoder.decode(jpeg, 3)).getMessage().contains("was 3"));
        // The structural checks come first at every scale: a truncated file is refused, not half-read.
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThrows(ImageDecodeException.class, () -> decoder.decode(cut, 2).release());
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

    @Test
    void theWebpBombFixtureIsARealWebpThatOpenCvDecodes() throws Exception {
        // The small version of the bomb decodes: the header check below refuses a real image.
        Mat m = decoder.decode(io.camserver.support.TestImages.webpBomb(64, 48));
        assertEquals(64, m.cols());
        assertEquals(48, m.rows());
        m.release();
    }

    @Test
    void aLosslessWebpBombIsRefusedFromItsHeaderBeforeAnyPixelIsAllocated() {
        byte[] bomb = io.camserver.support.TestImages.webpBomb(16000, 16000);
        assertEquals(36, bomb.length, "the bomb's size");
        assertEquals("WEBP declares 16000x16000 = 256000000 pixels, over the limit of 40000000", reason(bomb));
    }

    @Test
    void lossyAndExtendedWebpSizesAreReadFromTheirHeaders() {
        // VP8 (lossy): key frame tag, start code 9d 01 2a, 14-bit width and height
        byte[] vp8 = riff("VP8 ", new byte[] {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0xff, 0x3f, (byte) 0xff, 0x3f});
        assertEquals("WEBP declares 16383x16383 = 268402689 pixels, over the limit of 40000000", reason(vp8));
        // VP8X (extended): 24-bit canvas width-1 and height-1
        byte[] vp8x = riff("VP8X", new byte[] {0x10, 0, 0, 0, (byte) 0x3f, (byte) 0x9c, 0x00, (byte) 0x3f, (byte) 0x9c, 0x00});
        assertEquals("WEBP declares 40000x40000 = 1600000000 pixels, over the limit of 40000000", reason(vp8x));
        assertEquals("corrupt WebP: VP8 chunk has no key frame header", reason(riff("VP8 ", new byte[10])));
        assertEquals("corrupt WebP: first chunk is not VP8, VP8L or VP8X", reason(riff("ICCP", new byte[10])));
        assertEquals("truncated WebP: VP8X chunk is shorter than its 10-byte header", reason(riff("VP8X", new byte[4])));
    }

    @Test
    void aCameraFrameDecoderTakesOnlyJpegWhateverTheBytesAre() throws Exception {
        ImageDecoder frames = ImageDecoder.jpegOnly(new ImageLimits(4 << 20, 16_000_000));
        frames.decode(sceneJpeg()).release();
        byte[] png = io.camserver.support.TestImages.png(8, 8, new byte[8 * (8 * 3 + 1)]);
        String why = assertThrows(ImageDecodeException.class, () -> frames.decode(png).release()).getMessage();
        assertEquals("a PNG where only [JPEG] is accepted", why);
        String bomb = assertThrows(ImageDecodeException.class,
                () -> frames.decode(io.camserver.support.TestImages.webpBomb(64, 64)).release()).getMessage();
        assertEquals("a WEBP where only [JPEG] is accepted", bomb);
    }

    @Test
    void filesOverTheByteLimitAreRefusedBeforeTheyAreRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        ImageDecoder small = new ImageDecoder(new ImageLimits(4096, 40_000_000));
        java.nio.file.Path big = Files.write(tmp.resolve("big.jpg"), new byte[8192]);
        String why = assertThrows(ImageDecodeException.class, () -> small.readFile(big)).getMessage();
        assertEquals("file is 8192 bytes, over the limit of 4096", why);
    }

    private static byte[] riff(String fourcc, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + data.length).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put(fourcc.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }
}
