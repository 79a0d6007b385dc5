package io.camserver.ingest.stream;

import java.io.IOException;
import java.util.Optional;

/** One open connection to a camera, yielding JPEGs until it ends (empty) or fails (exception). */
public interface FrameFeed extends AutoCloseable {
    Optional<byte[]> next() throws IOException;

    /** Must unblock a {@link #next()} in progress on another thread. */
    @Override
    void close();

    /** Opens a new connection. */
    @FunctionalInterface
    interface Opener {
        FrameFeed open() throws IOException;
    }
}
