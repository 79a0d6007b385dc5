package io.camserver.ingest.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what a camera may send and how long it may take.
 *
 * @param connectTimeout  TCP connect
 * @param readTimeout     longest silence inside a stream before it counts as stalled
 * @param maxPartBytes    largest JPEG accepted (an ESP32 VGA frame is 20-60 KiB)
 * @param maxHeaderBytes  largest HTTP or part header section
 * @param maxGarbageBytes bytes skipped while looking for the next boundary before giving up
 */
public record IngestLimits(Duration connectTimeout, Duration readTimeout, int maxPartBytes, int maxHeaderBytes, int maxGarbageBytes) {
    public static final IngestLimits DEFAULT = new IngestLimits(Duration.ofSeconds(3), Duration.ofSeconds(5), 4 << 20, 16 << 10, 64 << 10);

    public IngestLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.toMillis() < 100 || readTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("ingest.connectTimeout and ingest.readTimeout must be >= 100ms (were "
                    + connectTimeout.toMillis() + "ms and " + readTimeout.toMillis() + "ms)");
        }
        if (maxPartBytes < 16 << 10 || maxPartBytes > 64 << 20) {
            throw new IllegalArgumentException("ingest.maxPartBytes must be in 16 KiB..64 MiB (was " + maxPartBytes + ")");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("ingest.maxHeaderBytes must be >= 1024 (was " + maxHeaderBytes + ")");
        }
        if (maxGarbageBytes < 1024) {
            throw new IllegalArgumentException("ingest.maxGarbageBytes must be >= 1024 (was " + maxGarbageBytes + ")");
        }
    }
}
