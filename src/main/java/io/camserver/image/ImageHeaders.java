package io.camserver.image;

/**
 * Structural checks on encoded images that OpenCV's decoders do not make: libjpeg "decodes" a
 * truncated JPEG by filling the missing rows with grey and only printing a warning, and the
 * declared size of a PNG must be known before allocating its pixels.
 */
final class ImageHeaders {
    private ImageHeaders() {
    }

    /**
     * Walks a JPEG's marker segments up to the frame header, then scans the entropy-coded data
     * for the end-of-image marker. Inside entropy-coded data 0xFF is always followed by 0x00
     * (byte stuffing) or a restart marker, so any other marker there is real structure.
     */
    static ImageSize checkJpeg(byte[] d) throws ImageDecodeException {
        int i = 2;
        ImageSize size = null;
        while (true) {
            // Markers may be preceded by fill bytes 0xFF.
            if (i >= d.length) {
                throw new ImageDecodeException("truncated JPEG: ends after " + d.length + " bytes without an end-of-image marker");
            }
            if ((d[i] & 0xff) != 0xFF) {
                throw new ImageDecodeException("corrupt JPEG: expected a marker at byte " + i);
            }
            while (i < d.length && (d[i] & 0xff) == 0xFF) {
                i++;
            }
            if (i >= d.length) {
                throw new ImageDecodeException("truncated JPEG: ends inside a marker");
            }
            int marker = d[i] & 0xff;
            i++;
            if (marker == 0xD9) {
                if (size == null) {
                    throw new ImageDecodeException("corrupt JPEG: end-of-image before any frame header");
                }
                return size;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers carry no length
            }
            if (i + 2 > d.length) {
                throw new ImageDecodeException("truncated JPEG: ends inside a segment header");
            }
            int len = ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
            if (len < 2 || i + len > d.length) {
                throw new ImageDecodeException("truncated JPEG: segment 0x" + Integer.toHexString(marker) + " at byte " + (i - 2)
                        + " declares " + len + " bytes but the file ends at " + d.length);
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (len < 8) {
                    throw new ImageDecodeException("corrupt JPEG: frame header too short");
                }
                int h = ((d[i + 3] & 0xff) << 8) | (d[i + 4] & 0xff);
                int w = ((d[i + 5] & 0xff) << 8) | (d[i + 6] & 0xff);
                if (w == 0 || h == 0) {
                    throw new ImageDecodeException("corrupt JPEG: frame header declares " + w + "x" + h + " pixels");
                }
                size = new ImageSize(w, h);
            }
            i += len;
            if (marker == 0xDA) {
                i = skipEntropyData(d, i);
            }
        }
    }

    /** Returns the index of the 0xFF that starts the next real marker. */
    private static int skipEntropyData(byte[] d, int i) throws ImageDecodeException {
        int n = d.length - 1;
        while (i < n) {
            if ((d[i] & 0xff) == 0xFF) {
                int next = d[i + 1] & 0xff;
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
                    i += next == 0xFF ? 1 : 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new ImageDecodeException("truncated JPEG: image data ends after " + d.length + " bytes without an end-of-image marker");
    }

    /** Reads IHDR and checks that the file ends with an IEND chunk. */
    static ImageSize checkPng(byte[] d) throws ImageDecodeException {
        if (d.length < 33 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
            throw new ImageDecodeException("corrupt PNG: no IHDR header");
        }
        long w = readU32(d, 16);
        long h = readU32(d, 20);
        if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new ImageDecodeException("corrupt PNG: header declares " + w + "x" + h + " pixels");
        }
        // Walk chunks so that a file cut anywhere is caught, not only one cut inside IDAT.
        int i = 8;
        while (i + 8 <= d.length) {
            long len = readU32(d, i);
            boolean iend = d[i + 4] == 'I' && d[i + 5] == 'E' && d[i + 6] == 'N' && d[i + 7] == 'D';
            long next = i + 12L + len;
            if (next > d.length) {
                throw new ImageDecodeException("truncated PNG: a chunk at byte " + i + " declares " + len
                        + " bytes but the file ends at " + d.length);
            }
            if (iend) {
                return new ImageSize((int) w, (int) h);
            }
            i = (int) next;
        }
        throw new ImageDecodeException("truncated PNG: no IEND chunk in " + d.length + " bytes");
    }

    /**
     * Reads the canvas size of a WebP from its first chunk: VP8 (lossy), VP8L (lossless) or
     * VP8X (extended, the canvas of a still or animated image). A lossless WebP of one colour
     * compresses 16000x16000 pixels into a few bytes, so this must be known before libwebp
     * allocates them.
     */
    static ImageSize checkWebp(byte[] d) throws ImageDecodeException {
        if (d.length < 20) {
            throw new ImageDecodeException("truncated WebP: " + d.length + " bytes, no image chunk");
        }
        String chunk = new String(d, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        int data = 20;
        switch (chunk) {
            case "VP8 " -> {
                if (d.length < data + 10 || (d[data + 3] & 0xff) != 0x9D || (d[data + 4] & 0xff) != 0x01 || (d[data + 5] & 0xff) != 0x2A) {
                    throw new ImageDecodeException("corrupt WebP: VP8 chunk has no key frame header");
                }
                int w = readU16le(d, data + 6) & 0x3FFF;
                int h = readU16le(d, data + 8) & 0x3FFF;
                return nonEmpty("WebP", w, h);
            }
            case "VP8L" -> {
                if (d.length < data + 5 || (d[data] & 0xff) != 0x2F) {
                    throw new ImageDecodeException("corrupt WebP: VP8L chunk has no lossless signature");
                }
                long bits = readU32le(d, data + 1);
                int w = (int) (bits & 0x3FFF) + 1;
                int h = (int) ((bits >>> 14) & 0x3FFF) + 1;
                return nonEmpty("WebP", w, h);
            }
            case "VP8X" -> {
                if (d.length < data + 10) {
                    throw new ImageDecodeException("truncated WebP: VP8X chunk is shorter than its 10-byte header");
                }
                int w = readU24le(d, data + 4) + 1;
                int h = readU24le(d, data + 7) + 1;
                return nonEmpty("WebP", w, h);
            }
            default -> throw new ImageDecodeException("corrupt WebP: first chunk is not VP8, VP8L or VP8X");
        }
    }

    private static ImageSize nonEmpty(String format, int w, int h) throws ImageDecodeException {
        if (w <= 0 || h <= 0) {
            throw new ImageDecodeException("corrupt " + format + ": header declares " + w + "x" + h + " pixels");
        }
        return new ImageSize(w, h);
    }

    private static int readU16le(byte[] d, int i) {
        return (d[i] & 0xff) | ((d[i + 1] & 0xff) << 8);
    }

    private static int readU24le(byte[] d, int i) {
        return (d[i] & 0xff) | ((d[i + 1] & 0xff) << 8) | ((d[i + 2] & 0xff) << 16);
    }

    private static long readU32le(byte[] d, int i) {
        return readS32le(d, i) & 0xFFFFFFFFL;
    }

    static ImageSize checkBmp(byte[] d) throws ImageDecodeException {
        long w = Math.abs((long) readS32le(d, 18));
        long h = Math.abs((long) readS32le(d, 22));
        if (w == 0 || h == 0) {
            throw new ImageDecodeException("corrupt BMP: header declares " + w + "x" + h + " pixels");
        }
        return new ImageSize((int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
    }

    private static long readU32(byte[] d, int i) {
        return ((long) (d[i] & 0xff) << 24) | ((d[i + 1] & 0xff) << 16) | ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
    }

    private static int readS32le(byte[] d, int i) {
        return (d[i] & 0xff) | ((d[i + 1] & 0xff) << 8) | ((d[i + 2] & 0xff) << 16) | ((d[i + 3] & 0xff) << 24);
    }
}
