package io.camserver.ingest;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.StreamException;

import io.camserver.image.ImageFormat;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Pulls one camera for as long as it is registered: connect, read frames into the sink,
 * and on any failure record the reason, go offline, wait (exponential backoff with jitter) and
 * reconnect. Exactly one puller (one virtual thread, one connection) per camera: the cameras
 * serve one client at a time, so frames are pulled once and fanned out downstream.
 */
public final class CameraPuller {
    private static final Logger log = LoggerFactory.getLogger(CameraPuller.class);

    private final String cameraId;
    private volatile FrameFeed.Opener opener;
    private final Backoff backoff;
    private final Consumer<Frame> sink;
    private final StateChanges states;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final FpsMeter fps = new FpsMeter();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong notJpeg = new AtomicLong();
    private final long staleAfterNanos;

    private volatile CameraState state = CameraState.CONNECTING;
    private volatile String lastError;
    private volatile Instant lastFrameAt;
    private volatile boolean running;
    private volatile boolean kicked;
    private volatile FrameFeed current;
    /** When the current connection opened or last delivered a frame: what staleness is measured from. */
    private volatile long lastProgressNanos;
    /** Set by {@link #checkStale} just before it closes the feed, so the loop reports why. */
    private volatile String staleReason;
    private Thread thread;

    /** Told when the stream starts delivering frames and when it fails; called on the puller's thread, must not block. */
    public interface StateChanges {
        void online(Instant at);

        void offline(Instant at, String reason);

        StateChanges NONE = new StateChanges() {
            @Override
            public void online(Instant at) {
            }

            @Override
            public void offline(Instant at, String reason) {
            }
        };
    }

    /**
     * @param staleAfter a connection that delivers no JPEG frame for this long is closed and the
     *                   camera marked offline: a camera that sends bytes but never a frame (only
     *                   text parts, a trickle of garbage) must not hold its slot as "streaming"
     */
    public CameraPuller(String cameraId, FrameFeed.Opener opener, Backoff backoff, Consumer<Frame> sink, StateChanges states,
                        Duration staleAfter) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.staleAfterNanos = staleAfter.toNanos();
        if (staleAfter.toMillis() < 500) {
            throw new IllegalArgumentException("ingest.staleAfter must be at least 500ms (was " + staleAfter.toMillis() + "ms)");
        }
        this.opener = Objects.requireNonNull(opener, "opener");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.states = Objects.requireNonNull(states, "states");
    }

    /**
     * A point-in-time view for the API and metrics.
     *
     * @param notJpeg parts the camera sent that were not JPEG by their bytes: skipped, never decoded
     */
    public record Status(CameraState state, String lastError, Instant lastFrameAt, long frames, long reconnects, double fps,
                         long notJpeg) {
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("camera " + cameraId + ": puller already started");
        }
        running = true;
        thread = Thread.ofVirtual().name("pull-" + cameraId).start(this::loop);
    }

    /** Stops the puller and waits (bounded) for its thread; closing the feed unblocks any read. */
    public void stop() {
        running = false;
        FrameFeed f = current;
        if (f != null) {
            f.close();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Retry now instead of after the backoff: the camera just told us (by registering) that it
     * is up and idle. A stream in progress is left alone.
     */
    public void kick() {
        lock.lock();
        try {
            kicked = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Points the puller at a new source (e.g. a rebooted camera's new token); reconnects now. */
    public void retarget(FrameFeed.Opener newOpener) {
        this.opener = Objects.requireNonNull(newOpener, "opener");
        FrameFeed f = current;
        if (f != null) {
            f.close();
        }
        kick();
    }

    public Status status() {
        return new Status(state, lastError, lastFrameAt, frames.get(), reconnects.get(), fps.fps(System.nanoTime()), notJpeg.get());
    }

    /** Closes the connection if it has delivered no frame for {@code staleAfter}; see the constructor. */
    void checkStale(long nowNanos) {
        FrameFeed f = current;
        if (f != null && nowNanos - lastProgressNanos > staleAfterNanos) {
            staleReason = "no frame for " + Duration.ofNanos(staleAfterNanos).toMillis() / 1000.0 + " s (ingest.staleAfter)";
            f.close();
        }
    }

    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private void loop() {
        MDC.put("camera", cameraId);
        try {
            boolean first = true;
            while (running) {
                if (!first) {
                    reconnects.incrementAndGet();
                }
                first = false;
                if (state != CameraState.OFFLINE) {
                    state = CameraState.CONNECTING;
                }
                String error = pullOnce();
                if (!running) {
                    break;
                }
                lastError = error;
                if (state != CameraState.OFFLINE) {
                    state = CameraState.OFFLINE;
                    log.info("camera offline: {}", error);
                    states.offline(Instant.now(), error);
                }
                sleepBackoff();
            }
        } finally {
            MDC.remove("camera");
        }
    }

    /**
     * One connection's life; returns why it ended. Whatever ends it, an exception, an error
     * (a stack overflow in a parser, an allocation that fails), it is reported here and the loop
     * goes on: a puller that died silently would leave its camera "streaming" forever.
     */
    private String pullOnce() {
        staleReason = null;
        try (FrameFeed feed = opener.open()) {
            lastProgressNanos = System.nanoTime();
            current = feed;
            if (!running) {
                return "stopped";
            }
            while (running) {
                var part = feed.next();
                if (part.isEmpty()) {
                    return "camera ended the stream";
                }
                if (!ImageFormat.isJpeg(part.get())) {
                    // Frames must be JPEG by their bytes, whatever the part claimed to be: a
                    // "JPEG" that is really a WebP or PNG bomb is never handed to a decoder.
                    notJpeg.incrementAndGet();
                    continue;
                }
                long now = System.nanoTime();
                lastProgressNanos = now;
                Instant at = Instant.now();
                long seq = frames.incrementAndGet();
                fps.mark(now);
                lastFrameAt = at;
                if (state != CameraState.STREAMING) {
                    state = CameraState.STREAMING;
                    lastError = null;
                    backoff.reset();
                    log.info("camera streaming");
                    states.online(at);
                }
                sink.accept(new Frame(cameraId, seq, part.get(), now, at));
            }
            return "stopped";
        } catch (IOException e) {
            String stale = staleReason;
            return stale != null ? stale : describe(e);
        } catch (RuntimeException | Error e) {
            String stale = staleReason;
            if (stale != null) {
                return stale;
            }
            log.warn("camera puller failed", e);
            return "internal error: " + e.getClass().getSimpleName();
        } finally {
            current = null;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof StreamException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        String kind = switch (e) {
            case java.net.ConnectException c -> "connection refused";
            case java.net.SocketTimeoutException s -> "connect timed out";
            case java.net.UnknownHostException u -> "unknown host";
            case java.net.NoRouteToHostException n -> "no route to host";
            default -> e.getClass().getSimpleName();
        };
        return m == null || m.isBlank() ? kind : kind + " (" + m + ")";
    }

    private void sleepBackoff() {
        long delay = backoff.nextDelayMillis();
        lock.lock();
        try {
            long deadline = System.nanoTime() + delay * 1_000_000L;
            while (running && !kicked) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wake.awaitNanos(left);
            }
            kicked = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Frames per second over the last ~2 s of arrivals. */
    static final class FpsMeter {
        private final long[] times = new long[64];
        private int count;
        private int head;

        synchronized void mark(long nanos) {
            times[head] = nanos;
            head = (head + 1) % times.length;
            count = Math.min(count + 1, times.length);
        }

        synchronized double fps(long now) {
            int n = 0;
            long oldest = now;
            for (int i = 0; i < count; i++) {
                long t = times[(head - 1 - i + times.length) % times.length];
                if (now - t > 2_000_000_000L) {
                    break;
                }
                oldest = t;
                n++;
            }
            if (n < 2) {
                return 0;
            }
            long span = now - oldest;
            return span <= 0 ? 0 : (n - 1) * 1e9 / span;
        }
    }
}
