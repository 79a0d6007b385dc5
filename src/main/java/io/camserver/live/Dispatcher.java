package io.camserver.live;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a {@link LiveEvent} leaves the place it happened. Producers (camera pullers,
 * analysis workers) publish here; every output subscribes here: the history, MQTT and presence,
 * webhooks, and each SSE viewer. The composition root wires the long-lived subscribers in order;
 * viewers come and go with {@link #queue}.
 *
 * <p>Publishing never blocks the producer. A {@link Subscriber} is called on the producer's
 * thread and must only hand the event over (each keeps its own bounded queue and counts what it
 * drops); a {@link Queue} is a bounded buffer for a consumer that pulls, and loses events
 * (counted) instead of slowing analysis when its reader falls behind.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** A long-lived output. {@link #accept} runs on the producer's thread: hand over, never wait. */
    @FunctionalInterface
    public interface Subscriber {
        void accept(LiveEvent event);
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Set<Queue> queues = ConcurrentHashMap.newKeySet();
    private final AtomicLong queueDropped = new AtomicLong();

    /** Adds an output; each event reaches subscribers in the order they were added. */
    public void subscribe(Subscriber s) {
        subscribers.add(Objects.requireNonNull(s, "subscriber"));
    }

    public void publish(LiveEvent e) {
        Objects.requireNonNull(e, "event");
        for (Subscriber s : subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                // One broken output must not stop the others or the producer.
                log.warn("live event {} for camera {}: subscriber {} failed", e.getClass().getSimpleName(), e.cameraId(), s, ex);
            }
        }
        for (Queue q : queues) {
            q.offer(e);
        }
    }

    /** A bounded buffer of the events to come, for one reader that pulls (an SSE viewer); close it to stop. */
    public Queue queue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1 (was " + capacity + ")");
        }
        Queue q = new Queue(capacity);
        queues.add(q);
        return q;
    }

    /** Open queues: SSE viewers connected now. */
    public int queueCount() {
        return queues.size();
    }

    /** Events that did not fit a slow reader's queue, summed over all queues ever opened. */
    public long queueDropped() {
        return queueDropped.get();
    }

    /** One reader's bounded buffer. */
    public final class Queue implements AutoCloseable {
        private final BlockingQueue<LiveEvent> events;
        private final AtomicLong dropped = new AtomicLong();

        private Queue(int capacity) {
            this.events = new ArrayBlockingQueue<>(capacity);
        }

        private void offer(LiveEvent e) {
            if (!events.offer(e)) {
                dropped.incrementAndGet();
                queueDropped.incrementAndGet();
            }
        }

        /** The next event, or null after {@code timeout}. */
        public LiveEvent poll(Duration timeout) throws InterruptedException {
            return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Events this reader lost because it fell behind. */
        public long dropped() {
            return dropped.get();
        }

        @Override
        public void close() {
            queues.remove(this);
            events.clear();
        }
    }
}
