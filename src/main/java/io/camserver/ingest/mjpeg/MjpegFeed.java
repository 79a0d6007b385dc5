package io.camserver.ingest.mjpeg;

import io.camserver.ingest.http.HttpAuth;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;
import io.camserver.ingest.http.HttpHead;
import io.camserver.ingest.http.HttpStream;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * An MJPEG-over-HTTP camera ({@code multipart/x-mixed-replace}). A plain {@code image/jpeg}
 * answer is accepted too, as a stream of one frame, so a snapshot URL given as a stream still
 * works (at the reconnect rate).
 */
public final class MjpegFeed implements FrameFeed {
    private final HttpStream http;
    private final MjpegReader reader;
    private final boolean single;
    private boolean singleDone;

    private MjpegFeed(HttpStream http, MjpegReader reader, boolean single) {
        this.http = http;
        this.reader = reader;
        this.single = single;
    }

    public static MjpegFeed open(URI uri, IngestLimits limits) throws IOException {
        return open(uri, limits, java.util.Map.of());
    }

    /** As above, with request headers (a relay authenticating to the replica that owns the camera). */
    public static MjpegFeed open(URI uri, IngestLimits limits, java.util.Map<String, String> headers) throws IOException {
        return open(uri, limits, headers, false, new HttpAuth());
    }

    /** As above; {@code insecure}: any TLS certificate; {@code auth}: the camera's (see {@link HttpStream#open}). */
    public static MjpegFeed open(URI uri, IngestLimits limits, java.util.Map<String, String> headers, boolean insecure, HttpAuth auth)
            throws IOException {
        HttpStream http = HttpStream.open(uri, limits, headers, insecure, auth);
        try {
            int status = http.head().status();
            if (status != 200) {
                throw new StreamException(HttpHead.answered("camera", status));
            }
            String type = http.head().header("content-type").orElse("");
            String lower = type.toLowerCase(Locale.ROOT);
            if (lower.startsWith("multipart/")) {
                return new MjpegFeed(http, new MjpegReader(http.body(), MjpegReader.boundaryOf(type), limits), false);
            }
            if (lower.startsWith("image/jpeg") || lower.startsWith("image/jpg")) {
                return new MjpegFeed(http, null, true);
            }
            throw new StreamException("camera sent " + kindOf(lower) + ", expected multipart/x-mixed-replace or image/jpeg");
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** The kind of a wrong answer, in our words: the peer's Content-Type text is not repeated. */
    private static String kindOf(String contentType) {
        if (contentType.isEmpty()) {
            return "no Content-Type";
        }
        if (contentType.startsWith("text/html")) {
            return "an HTML page";
        }
        if (contentType.startsWith("text/")) {
            return "text";
        }
        if (contentType.startsWith("image/")) {
            return "an image that is not JPEG";
        }
        return "another Content-Type";
    }

    @Override
    public Optional<byte[]> next() throws IOException {
        if (single) {
            if (singleDone) {
                return Optional.empty();
            }
            singleDone = true;
            return Optional.of(SnapshotFeed.readBounded(http, IngestLimits.DEFAULT.maxPartBytes()));
        }
        return reader.next();
    }

    @Override
    public void close() {
        http.close();
    }
}
