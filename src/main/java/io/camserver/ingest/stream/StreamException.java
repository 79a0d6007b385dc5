package io.camserver.ingest.stream;

import java.io.IOException;

/** A camera stream that broke a rule (size, framing, protocol); the message says which, in words. */
public final class StreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public StreamException(String message) {
        super(message);
    }
}
