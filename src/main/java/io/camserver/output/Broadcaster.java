package io.camserver.output;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One output stream's newest encoded JPEG, shared by all its viewers. A frame is encoded once
 * and published here; each viewer waits for a frame newer than the one it sent last. A slow
 * viewer therefore skips frames instead of queueing them: the server holds exactly one frame
 * per stream however many viewers there are and however slow they read.
 */
public final class Broadcaster {
    /** A published frame; {@code seq} increases by one per publish. */
    public record Published(byte[] jpeg, long seq, long publishedNanos) {
    }

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fresh = lock.newCondition();
    private final AtomicInteger viewers = new AtomicInteger();
    private volatile Published latest;
    private volatile long lastWantedNanos = System.nanoTime();
    private long seq;
    private volatile boolean closed;

    public Broadcaster(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void publish(byte[] jpeg) {
        lock.lock();
        try {
            latest = new Published(jpeg, ++seq, System.nanoTime());
            fresh.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public Published latest() {
        return latest;
    }

    /**
     * The newest frame after {@code afterSeq}, waiting up to {@code timeout}; null on timeout or
     * when closed.
     */
    public Published next(long afterSeq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!closed && (latest == null || latest.seq() <= afterSeq)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                fresh.awaitNanos(left);
            }
            if (closed) {
                return null;
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /** A viewer's presence: counted from {@link #join()} until {@link #close()}. */
    public final class Viewer implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();

        private Viewer() {
        }

        /** The newest frame after {@code afterSeq}; see {@link Broadcaster#next}. */
        public Published next(long afterSeq, Duration timeout) throws InterruptedException {
            return Broadcaster.this.next(afterSeq, timeout);
        }

        @Override
        public void close() {
            if (left.compareAndSet(false, true)) {
                viewers.decrementAndGet();
            }
        }
    }

    /** A viewer joins (it counts for {@link #wanted()} and the viewers metric) until it closes. */
    public Viewer join() {
        viewers.incrementAndGet();
        want();
        return new Viewer();
    }

    /** Somebody asked for output (a snapshot): keep producing it for a while. */
    public void want() {
        lastWantedNanos = System.nanoTime();
    }

    /** Whether producing frames for this stream is worth the encoding cost right now. */
    public boolean wanted() {
        return viewers.get() > 0 || System.nanoTime() - lastWantedNanos < 10_000_000_000L;
    }

    public int viewers() {
        return viewers.get();
    }


    public void close() {
        lock.lock();
        try {
            closed = true;
            fresh.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        return closed;
    }
}
