package io.camserver.comms;

import io.camserver.live.TrackOutcome;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Decisions made while the broker is away, oldest first, for publishing in order once it is back:
 * at most {@code max} (the oldest goes first when full) and none older than {@code maxAge}, since
 * names and presence are about now. Owned by the MQTT loop's thread.
 */
final class Backlog {
    private final int max;
    private final Duration maxAge;
    private final ArrayDeque<TrackOutcome.Decided> waiting = new ArrayDeque<>();

    Backlog(int max, Duration maxAge) {
        this.max = max;
        this.maxAge = maxAge;
    }

    /** Keeps a decision; returns how many were dropped to make room (0 or 1). */
    int add(TrackOutcome.Decided d) {
        int dropped = 0;
        if (waiting.size() == max) {
            waiting.removeFirst();
            dropped = 1;
        }
        waiting.addLast(d);
        return dropped;
    }

    /** The oldest decision still waiting, or null; it stays until {@link #done}. */
    TrackOutcome.Decided next() {
        return waiting.peekFirst();
    }

    void done() {
        waiting.removeFirst();
    }

    /** Whether a decision is too old to publish now. */
    boolean stale(TrackOutcome.Decided d, long now) {
        return d.at().toEpochMilli() < now - maxAge.toMillis();
    }
}
