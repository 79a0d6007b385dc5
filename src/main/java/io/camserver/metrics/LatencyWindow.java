package io.camserver.metrics;

import java.util.Arrays;

/**
 * The last N latency samples in a ring: exact percentiles of the most recent frames, which
 * {@code bench-live} clears between its warm-up and its measurement. The Prometheus timer's
 * percentiles come from a decaying time window instead (Micrometer's default: two minutes), which
 * a benchmark cannot reset. Cheap enough for every frame.
 */
public final class LatencyWindow {
    private final long[] ring;
    private int next;
    private int size;

    public LatencyWindow(int capacity) {
        this.ring = new long[capacity];
    }

    public synchronized void add(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public synchronized void clear() {
        size = 0;
        next = 0;
    }

    /** Percentiles (0..1) in milliseconds, or NaN with no samples. */
    public synchronized double[] percentilesMillis(double... ps) {
        double[] out = new double[ps.length];
        if (size == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        long[] copy = Arrays.copyOf(ring, size);
        Arrays.sort(copy);
        for (int i = 0; i < ps.length; i++) {
            int idx = (int) Math.min(size - 1, Math.floor(ps[i] * size));
            out[i] = copy[idx] / 1e6;
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
