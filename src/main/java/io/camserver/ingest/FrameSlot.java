package io.camserver.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Latest-frame-wins hand-off between a camera's puller and the analysis workers. Holding one
 * frame is the whole buffer: when analysis is slower than the camera, the older frame is
 * replaced and counted as dropped, so analysis always works on the newest picture and memory
 * never grows with load.
 */
public final class FrameSlot {
    private final AtomicReference<Frame> latest = new AtomicReference<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** Stores {@code f}; returns true if an unconsumed older frame was thrown away. */
    public boolean put(Frame f) {
        offered.incrementAndGet();
        Frame old = latest.getAndSet(f);
        if (old != null) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Takes the newest frame, or null if none arrived since the last take. */
    public Frame take() {
        return latest.getAndSet(null);
    }

    public boolean hasFrame() {
        return latest.get() != null;
    }

    public long offered() {
        return offered.get();
    }

    public long dropped() {
        return dropped.get();
    }
}
