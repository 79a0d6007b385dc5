package io.camserver.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One encoded frame as it arrived from a camera. {@code arrivedNanos} (monotonic) starts the
 * latency clock that ends when the annotated frame is published.
 */
public record Frame(String cameraId, long seq, byte[] jpeg, long arrivedNanos, Instant arrivedAt) {
    public Frame {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(jpeg, "jpeg");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
    }
}
