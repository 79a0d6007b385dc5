package io.camserver.events;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out of {@link CameraEvent}s. Publishing never blocks: each subscriber has its own bounded
 * queue, and a subscriber that does not keep up loses events (counted) instead of slowing the
 * analysis workers or making the server hold an ever-growing backlog.
 */
public final class EventBus {
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    public void publish(CameraEvent e) {
        for (Subscription s : subscribers) {
            if (!s.queue.offer(e)) {
                s.dropped.incrementAndGet();
                dropped.incrementAndGet();
            }
        }
    }

    public Subscription subscribe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("subscription capacity must be >= 1 (was " + capacity + ")");
        }
        Subscription s = new Subscription(capacity);
        subscribers.add(s);
        return s;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Events that did not fit a slow subscriber's queue (SSE viewers, webhooks), summed. */
    public long dropped() {
        return dropped.get();
    }

    /** One consumer's bounded queue; close it to stop receiving. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<CameraEvent> queue;
        private final AtomicLong dropped = new AtomicLong();

        private Subscription(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        /** The next event, or null after {@code timeout}. */
        public CameraEvent poll(Duration timeout) throws InterruptedException {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Events that did not fit a slow subscriber's queue (SSE viewers, webhooks), summed. */
    public long dropped() {
            return dropped.get();
        }

        @Override
        public void close() {
            subscribers.remove(this);
            queue.clear();
        }
    }
}
