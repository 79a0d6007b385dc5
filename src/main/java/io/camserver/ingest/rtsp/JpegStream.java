package io.camserver.ingest.rtsp;

import io.camserver.ingest.stream.StreamException;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream of back-to-back JPEGs (FFmpeg's {@code image2pipe} output) into images by
 * walking their markers: segments by their lengths up to the scan, then the entropy-coded data up
 * to the end-of-image marker (inside it 0xFF is always followed by 0x00 or a restart marker).
 * An image over {@code max} bytes, or bytes that are not a JPEG, end the stream with an error.
 */
final class JpegStream {
    private JpegStream() {
    }

    /** The next JPEG, or null at a clean end of stream (between images). */
    static byte[] next(InputStream in, int max) throws IOException {
        int a = in.read();
        if (a < 0) {
            return null;
        }
        int b = in.read();
        if (a != 0xFF || b != 0xD8) {
            throw new StreamException("decoder output is not a JPEG (starts " + String.format("%02x %02x", a, b & 0xff) + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
        out.write(0xFF);
        out.write(0xD8);
        while (true) {
            int m = readMarker(in, out);
            if (m == 0xD9) {
                return out.toByteArray();
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                continue; // no length
            }
            int hi = must(in, out);
            int lo = must(in, out);
            int len = (hi << 8 | lo) - 2;
            if (len < 0) {
                throw new StreamException("corrupt JPEG from the decoder (segment length " + (len + 2) + ")");
            }
            copy(in, out, len, max);
            if (m == 0xDA) {
                // entropy-coded data up to the next real marker
                while (true) {
                    int c = must(in, out);
                    if (c != 0xFF) {
                        check(out, max);
                        continue;
                    }
                    int d = must(in, out);
                    while (d == 0xFF) {
                        d = must(in, out);
                    }
                    if (d == 0x00 || (d >= 0xD0 && d <= 0xD7)) {
                        continue;
                    }
                    if (d == 0xD9) {
                        return out.toByteArray();
                    }
                    // another marker after the scan (progressive JPEGs): read its segment
                    int h = must(in, out);
                    int l = must(in, out);
                    copy(in, out, (h << 8 | l) - 2, max);
                    if (d != 0xDA) {
                        break;
                    }
                }
            }
            check(out, max);
        }
    }

    private static int readMarker(InputStream in, ByteArrayOutputStream out) throws IOException {
        int c = must(in, out);
        if (c != 0xFF) {
            throw new StreamException("corrupt JPEG from the decoder (expected a marker)");
        }
        int m = must(in, out);
        while (m == 0xFF) {
            m = must(in, out);
        }
        return m;
    }

    private static int must(InputStream in, ByteArrayOutputStream out) throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("stream ended inside a JPEG");
        }
        out.write(c);
        return c;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int len, int max) throws IOException {
        if (len < 0 || out.size() + (long) len > max) {
            throw new StreamException("a frame over ingest.maxPartBytes (" + max + " bytes)");
        }
        byte[] buf = in.readNBytes(len);
        if (buf.length < len) {
            throw new EOFException("stream ended inside a JPEG");
        }
        out.write(buf);
    }

    private static void check(ByteArrayOutputStream out, int max) throws StreamException {
        if (out.size() > max) {
            throw new StreamException("a frame over ingest.maxPartBytes (" + max + " bytes)");
        }
    }
}
