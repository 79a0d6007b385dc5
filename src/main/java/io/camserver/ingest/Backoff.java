package io.camserver.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delay with +-20 % jitter (so cameras that dropped together do not
 * reconnect in lock-step), doubling from {@code initial} up to {@code max}. Owned by one puller.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    public Backoff(Duration initial, Duration max) {
        if (initial.toMillis() < 10 || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("ingest.backoffInitial must be >= 10ms and <= ingest.backoffMax (were "
                    + initial.toMillis() + "ms and " + max.toMillis() + "ms)");
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.nextMs = initialMs;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the cap. */
    public long nextDelayMillis() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(base * jitter));
    }

    public void reset() {
        nextMs = initialMs;
    }
}
