package io.camserver.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Hand-made image files for the decoder and upload tests. */
public final class TestImages {
    private TestImages() {
    }

    /**
     * A real lossless WebP (VP8L) of {@code w}x{@code h} transparent black pixels in about 40
     * bytes: every prefix code has a single symbol, so each pixel costs zero bits. libwebp decodes
     * it (and allocates w*h*4 bytes for it): the shape of a decompression bomb, at any size up to
     * 16384x16384.
     */
    public static byte[] webpBomb(int w, int h) {
        BitWriter bits = new BitWriter();
        bits.put(0x2F, 8);          // VP8L signature
        bits.put(w - 1, 14);
        bits.put(h - 1, 14);
        bits.put(0, 1);             // alpha_is_used
        bits.put(0, 3);             // version
        bits.put(0, 1);             // no transform
        bits.put(0, 1);             // no colour cache
        bits.put(0, 1);             // no meta prefix codes
        for (int code = 0; code < 5; code++) { // green, red, blue, alpha, distance
            bits.put(1, 1);         // simple code
            bits.put(0, 1);         // one symbol
            bits.put(0, 1);         // it fits 1 bit
            bits.put(0, 1);         // symbol 0
        }
        byte[] packed = bits.bytes();
        byte[] vp8l = Arrays.copyOf(packed, packed.length + 8); // a little slack after the last bit
        int chunk = vp8l.length + (vp8l.length & 1);
        ByteBuffer b = ByteBuffer.allocate(20 + chunk).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + chunk).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
        return b.array();
    }

    /** Least-significant-bit-first writer, as VP8L packs its fields. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        void put(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >>> i) & 1) << n;
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
        }

        byte[] bytes() {
            byte[] done = out.toByteArray();
            if (n == 0) {
                return done;
            }
            byte[] withLast = Arrays.copyOf(done, done.length + 1);
            withLast[done.length] = (byte) acc;
            return withLast;
        }
    }

    /** A syntactically complete PNG (valid CRCs) declaring any size, with {@code raw} deflated as its data. */
    public static byte[] png(int w, int h, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0)
                .array());
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] z = new byte[8192];
        int n = d.deflate(z);
        d.end();
        chunk(out, "IDAT", Arrays.copyOf(z, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A 640x480 frame with two face photos side by side, as a camera would see two people. */
    public static byte[] sideBySide(java.nio.file.Path left, java.nio.file.Path right) throws Exception {
        java.awt.image.BufferedImage frame = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = frame.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(javax.imageio.ImageIO.read(left.toFile()), 40, 120, 240, 240, null);
        g.drawImage(javax.imageio.ImageIO.read(right.toFile()), 360, 120, 240, 240, null);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(frame, "jpg", out);
        return out.toByteArray();
    }

}
