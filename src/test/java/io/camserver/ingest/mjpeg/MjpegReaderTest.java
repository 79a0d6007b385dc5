package io.camserver.ingest.mjpeg;

import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.Firmware;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The MJPEG framing variants real cameras send, and the hostile ones, byte by byte. */
class MjpegReaderTest {
    private static final IngestLimits LIMITS = new IngestLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 64 << 10, 4096, 8192);

    /** Fake JPEGs whose bodies contain CR, LF and "--" on purpose. */
    static byte[] jpeg(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        for (int i = 10; i + 3 < n; i += 97) {
            b[i] = '\r';
            b[i + 1] = '\n';
            b[i + 2] = '-';
            b[i + 3] = '-';
        }
        b[n - 2] = (byte) 0xFF;
        b[n - 1] = (byte) 0xD9;
        return b;
    }

    private static List<byte[]> readAll(byte[] body, String contentType) throws IOException {
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(body));
        MjpegReader r = new MjpegReader(in, MjpegReader.boundaryOf(contentType), LIMITS);
        List<byte[]> out = new ArrayList<>();
        for (Optional<byte[]> f = r.next(); f.isPresent(); f = r.next()) {
            out.add(f.get());
        }
        return out;
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] a ? a : p.toString().getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void readsTheDemoFirmwaresFramingWithNoDelimiterBeforeTheFirstPart() throws IOException {
        byte[] a = jpeg(5000, 1);
        byte[] b = jpeg(7000, 2);
        byte[] body = concat(Firmware.partHeader(a.length), a, Firmware.partTrailer(), Firmware.partHeader(b.length), b,
                Firmware.partTrailer());
        List<byte[]> frames = readAll(body, "multipart/x-mixed-replace;boundary=" + Firmware.BOUNDARY);
        assertEquals(2, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
    }

    @Test
    void aFirstFrameLargerThanTheGarbageLimitIsStillRead() throws IOException {
        byte[] big = jpeg(40_000, 3); // > maxGarbageBytes (8 KiB here): must not be taken for garbage
        List<byte[]> frames = readAll(concat(Firmware.partHeader(big.length), big, Firmware.partTrailer()),
                "multipart/x-mixed-replace;boundary=" + Firmware.BOUNDARY);
        assertArrayEquals(big, frames.get(0));
    }

    @Test
    void quotedBoundaryWithDashesAndNoContentLengthAndBareLineFeeds() throws IOException {
        byte[] a = jpeg(3000, 4);
        byte[] b = jpeg(3500, 5);
        byte[] body = concat("--myboundary\n", "Content-Type: image/jpeg\n\n", a, "\n--myboundary\n", "Content-Type: image/jpeg\n\n", b,
                "\n--myboundary--\n");
        List<byte[]> frames = readAll(body, "multipart/x-mixed-replace; boundary=\"--myboundary\"");
        assertEquals(2, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
    }

    @Test
    void boundaryDeclaredWithoutDashesMatchesLinesWithExtraDashes() throws IOException {
        byte[] a = jpeg(2000, 6);
        byte[] body = concat("----frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + a.length + "\r\n\r\n", a, "\r\n----frame--\r\n");
        assertArrayEquals(a, readAll(body, "multipart/x-mixed-replace;boundary=frame").get(0));
    }

    @Test
    void undeclaredBoundaryIsLearnedFromTheFirstDelimiterLine() throws IOException {
        byte[] a = jpeg(2500, 7);
        byte[] body = concat("\r\n--xyz\r\nContent-Type: image/jpeg\r\nContent-Length: " + a.length + "\r\n\r\n", a, "\r\n--xyz\r\n");
        assertArrayEquals(a, readAll(body, "multipart/x-mixed-replace").get(0));
    }

    @Test
    void garbageBetweenPartsIsSkipped() throws IOException {
        byte[] a = jpeg(2000, 8);
        byte[] b = jpeg(2100, 9);
        byte[] body = concat("--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + a.length + "\r\n\r\n", a,
                "\r\nsome junk the camera sends\r\n\u0001\u0002 more junk\r\n",
                "--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + b.length + "\r\n\r\n", b, "\r\n");
        List<byte[]> frames = readAll(body, "multipart/x-mixed-replace;boundary=b");
        assertEquals(2, frames.size());
        assertArrayEquals(b, frames.get(1));
    }

    @Test
    void nonImagePartsAreSkippedNotFatal() throws IOException {
        byte[] a = jpeg(2000, 10);
        byte[] body = concat("--b\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n",
                "--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + a.length + "\r\n\r\n", a, "\r\n--b--\r\n");
        assertArrayEquals(a, readAll(body, "multipart/x-mixed-replace;boundary=b").get(0));
    }

    @Test
    void aHugeContentLengthIsRefusedBeforeReading() {
        byte[] body = concat("--b\r\nContent-Type: image/jpeg\r\nContent-Length: 100000000\r\n\r\n", jpeg(100, 1));
        StreamException e = assertThrows(StreamException.class, () -> readAll(body, "multipart/x-mixed-replace;boundary=b"));
        assertEquals("part 1 declares Content-Length 100000000, over the limit of 65536 bytes", e.getMessage());
    }

    @Test
    void aPartThatNeverEndsIsCutAtTheLimit() {
        byte[] endless = new byte[200_000];
        new Random(3).nextBytes(endless);
        byte[] body = concat("--b\r\nContent-Type: image/jpeg\r\n\r\n", endless);
        StreamException e = assertThrows(StreamException.class, () -> readAll(body, "multipart/x-mixed-replace;boundary=b"));
        assertTrue(e.getMessage().startsWith("part 1 has no Content-Length and no boundary within 65536 bytes"), e.getMessage());
    }

    @Test
    void noBoundaryAnywhereIsNamed() {
        byte[] junk = new byte[50_000];
        new Random(4).nextBytes(junk);
        for (int i = 0; i < junk.length; i += 50) {
            junk[i] = '\n'; // lines, but none a delimiter
        }
        StreamException e = assertThrows(StreamException.class, () -> readAll(junk, "multipart/x-mixed-replace"));
        assertTrue(e.getMessage().contains("no multipart boundary declared and none found"), e.getMessage());
    }

    @Test
    void anEndlessHeaderIsRefused() {
        byte[] body = concat("--b\r\nX-Junk: ", "a".repeat(10_000), "\r\n\r\n");
        StreamException e = assertThrows(StreamException.class, () -> readAll(body, "multipart/x-mixed-replace;boundary=b"));
        assertEquals("part header is longer than the limit", e.getMessage());
    }

    @Test
    void boundaryParameterParsing() {
        assertEquals(Optional.of("abc"), MjpegReader.boundaryOf("multipart/x-mixed-replace;boundary=abc"));
        assertEquals(Optional.of("--abc"), MjpegReader.boundaryOf("multipart/x-mixed-replace; boundary=\"--abc\""));
        assertEquals(Optional.of("abc"), MjpegReader.boundaryOf("multipart/x-mixed-replace; charset=x; BOUNDARY=abc"));
        assertEquals(Optional.empty(), MjpegReader.boundaryOf("multipart/x-mixed-replace"));
    }
}
