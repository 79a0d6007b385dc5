package io.camserver.ingest;

import io.camserver.events.CameraEvent;
import io.camserver.events.EventBus;
import java.io.IOException;
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
    private final EventBus events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final FpsMeter fps = new FpsMeter();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    private volatile CameraState state = CameraState.CONNECTING;
    private volatile String lastError;
    private volatile Instant lastFrameAt;
    private volatile boolean running;
    private volatile boolean kicked;
    private volatile FrameFeed current;
    private Thread thread;

    public CameraPuller(String cameraId, FrameFeed.Opener opener, Backoff backoff, Consumer<Frame> sink, EventBus events) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** A point-in-time view for the API and metrics. */
    public record Status(CameraState state, String lastError, Instant lastFrameAt, long frames, long reconnects, double fps) {
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
        return new Status(state, lastError, lastFrameAt, frames.get(), reconnects.get(), fps.fps(System.nanoTime()));
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
                    events.publish(new CameraEvent.Offline(cameraId, Instant.now(), error));
                }
                sleepBackoff();
            }
        } finally {
            MDC.remove("camera");
        }
    }

    /** One connection's life; returns why it ended. */
    private String pullOnce() {
        try (FrameFeed feed = opener.open()) {
            current = feed;
            if (!running) {
                return "stopped";
            }
            while (running) {
                var jpeg = feed.next();
                if (jpeg.isEmpty()) {
                    return "camera ended the stream";
                }
                long now = System.nanoTime();
                Instant at = Instant.now();
                long seq = frames.incrementAndGet();
                fps.mark(now);
                lastFrameAt = at;
                if (state != CameraState.STREAMING) {
                    state = CameraState.STREAMING;
                    lastError = null;
                    backoff.reset();
                    log.info("camera streaming");
                    events.publish(new CameraEvent.Online(cameraId, at));
                }
                sink.accept(new Frame(cameraId, seq, jpeg.get(), now, at));
            }
            return "stopped";
        } catch (IOException e) {
            return describe(e);
        } catch (RuntimeException e) {
            log.warn("camera puller error", e);
            return "internal error: " + e;
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
