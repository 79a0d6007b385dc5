package io.camserver.models;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads selected regular files out of an npm tarball (gzip + ustar, with pax headers).
 * npm's own extraction is not used because {@code npm install} would resolve dependencies and
 * could run scripts; we only want a few files, and only by exact path.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Returns the bytes of each wanted entry (path relative to the package root, i.e. without
     * npm's leading {@code package/}). Entries not asked for are skipped without buffering.
     */
    static Map<String, byte[]> extract(Path tgz, Set<String> wanted, long maxEntryBytes) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 65536)) {
            byte[] header = new byte[BLOCK];
            String paxPath = null;
            while (true) {
                if (!readFully(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == 'x') {
                    byte[] pax = readBytes(in, size, 1 << 20);
                    skip(in, padded - size);
                    paxPath = paxValue(pax, "path");
                    continue;
                }
                String full = paxPath != null ? paxPath : (prefix.isEmpty() ? name : prefix + "/" + name);
                paxPath = null;
                String relative = stripFirstComponent(full);
                if ((type == '0' || type == 0) && wanted.contains(relative)) {
                    if (size > maxEntryBytes) {
                        throw new IOException("entry " + relative + " is " + size + " bytes, over the " + maxEntryBytes + " limit");
                    }
                    found.put(relative, readBytes(in, size, maxEntryBytes));
                    skip(in, padded - size);
                } else {
                    skip(in, padded);
                }
            }
        }
        return found;
    }

    private static String stripFirstComponent(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String paxValue(byte[] pax, String key) {
        // Records are "<len> <key>=<value>\n".
        String text = new String(pax, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (space > 0 && eq > space && line.substring(space + 1, eq).equals(key)) {
                return line.substring(eq + 1);
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("tarball ends inside a header block");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size, long max) throws IOException {
        if (size > max || size > Integer.MAX_VALUE - 16) {
            throw new IOException("tar entry of " + size + " bytes is over the " + max + " byte limit");
        }
        byte[] data = new byte[(int) size];
        if (size > 0 && !readFully(in, data)) {
            throw new EOFException("tarball ends inside an entry");
        }
        return data;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tarball ends inside an entry");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0 || i > off) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("bad octal size field in tar header");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
