package io.camserver.ingest.mjpeg;

import io.camserver.ingest.http.HttpAuth;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;
import io.camserver.ingest.http.HttpHead;
import io.camserver.ingest.http.HttpStream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A camera that only serves single JPEGs (Espressif CameraWebServer {@code /capture}, ESPHome
 * snapshots, yoursunny {@code /cam.jpg}): polled at a fixed interval, one connection per frame.
 */
public final class SnapshotFeed implements FrameFeed {
    private final URI uri;
    private final IngestLimits limits;
    private final long intervalNanos;
    private final boolean insecure;
    private long lastStart;
    private final HttpAuth auth;
    private volatile HttpStream current;
    private volatile boolean closed;

    public SnapshotFeed(URI uri, IngestLimits limits, Duration interval) {
        this(uri, limits, interval, false, new HttpAuth());
    }

    /** As above; {@code insecure}: any TLS certificate; {@code auth}: the camera's. */
    public SnapshotFeed(URI uri, IngestLimits limits, Duration interval, boolean insecure, HttpAuth auth) {
        this.auth = auth;
        this.uri = uri;
        this.limits = limits;
        this.intervalNanos = interval.toNanos();
        this.insecure = insecure;
    }

    @Override
    public Optional<byte[]> next() throws IOException {
        long wait = lastStart == 0 ? 0 : intervalNanos - (System.nanoTime() - lastStart);
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamException("interrupted");
            }
        }
        if (closed) {
            return Optional.empty();
        }
        lastStart = System.nanoTime();
        try (HttpStream http = HttpStream.open(uri, limits, java.util.Map.of(), insecure, auth)) {
            current = http;
            int status = http.head().status();
            if (status != 200) {
                throw new StreamException(HttpHead.answered("snapshot", status));
            }
            return Optional.of(readBounded(http, limits.maxPartBytes()));
        } finally {
            current = null;
        }
    }

    static byte[] readBounded(HttpStream http, int max) throws IOException {
        InputStream body = http.body();
        byte[] data = body.readNBytes(max + 1);
        if (data.length > max) {
            throw new StreamException("snapshot is over the limit of " + max + " bytes");
        }
        if (data.length < 3 || (data[0] & 0xff) != 0xFF || (data[1] & 0xff) != 0xD8) {
            throw new StreamException("snapshot is not a JPEG (" + data.length + " bytes)");
        }
        return data;
    }

    @Override
    public void close() {
        closed = true;
        HttpStream h = current;
        if (h != null) {
            h.close();
        }
    }
}
