package io.camserver.ingest.http;

import io.camserver.ingest.stream.StreamException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes HTTP/1.1 chunked transfer coding. ESP32 firmwares send plain bytes, but ffmpeg and
 * many NVR/IP cameras send their MJPEG chunked.
 */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        int[] budget = {1024};
        String line = HttpHead.readLine(in, budget, "chunk size line");
        if (line != null && line.isEmpty()) {
            line = HttpHead.readLine(in, budget, "chunk size line"); // CRLF after the previous chunk
        }
        if (line == null) {
            done = true;
            return false;
        }
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new StreamException("bad chunk size line (not a hexadecimal size)");
        }
        if (remaining < 0) {
            throw new StreamException("negative chunk size");
        }
        if (remaining == 0) {
            done = true;
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new StreamException("connection closed inside a chunk");
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
