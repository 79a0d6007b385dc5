package io.camserver.history;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.TrackOutcome;
import io.camserver.store.ConflictException;
import io.camserver.store.EventStore;
import io.camserver.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history: writes track outcomes from the {@link Dispatcher} as sightings and groups
 * recurring unknown faces into visitors ("unknown #12"). Analysis workers hand outcomes over through a bounded
 * queue and never wait for the database;
 * when the database falls behind, outcomes are dropped and counted. One writer thread owns the
 * open-track map, so it needs no lock.
 *
 * <p>Grouping is online and greedy: an unknown face joins the visitor whose centroid (mean of
 * its members' unit vectors, renormalised) it is most similar to, if that similarity reaches
 * the threshold; otherwise it starts a new visitor ("unknown #12"). Centroids live in the
 * database, not here, so that replicas sharing it grow one set of visitors
 * ({@link EventStore#joinVisitor}).
 */
public final class HistoryWriter implements Dispatcher.Subscriber, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);

    private final EventStore store;
    private final String modelId;
    private final float visitorThreshold;
    private final Duration maxAge;
    private final long maxBytes;
    private final BlockingQueue<TrackOutcome> queue = new ArrayBlockingQueue<>(512);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Map<String, String> openEvents = new HashMap<>(); // camera/track -> event id
    private final Thread writer;
    private volatile boolean running = true;
    private long lastRetention;

    public HistoryWriter(EventStore store, String modelId, float visitorThreshold, Duration maxAge, long maxBytes) {
        this.store = Objects.requireNonNull(store, "store");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        if (!(visitorThreshold > 0 && visitorThreshold < 1)) {
            throw new IllegalArgumentException("visitors.threshold must be in (0, 1) (was " + visitorThreshold + ")");
        }
        this.visitorThreshold = visitorThreshold;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.writer = Thread.ofVirtual().name("history-writer").start(this::drain);
    }

    /** Takes track outcomes (camera states are not history); never waits. */
    @Override
    public void accept(LiveEvent event) {
        if (event instanceof TrackOutcome outcome && !queue.offer(outcome)) {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                TrackOutcome o = queue.poll(1, TimeUnit.SECONDS);
                if (o != null) {
                    handle(o);
                }
                long now = System.currentTimeMillis();
                if (now - lastRetention > 60_000) {
                    lastRetention = now;
                    int n = store.enforceRetention(maxAge, maxBytes, now);
                    if (n > 0) {
                        log.info("retention removed {} events (events.maxAge {}, events.maxBytes {})", n, maxAge, maxBytes);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StoreException | ConflictException e) {
                log.warn("event history: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("event history failed", e);
            }
        }
    }

    private void handle(TrackOutcome o) {
        String key = o.cameraId() + "/" + o.trackId();
        switch (o) {
            case TrackOutcome.Decided d -> {
                String visitorId = d.personId() == null ? store.visitors().join(modelId, d.embedding(), visitorThreshold, d.at().toEpochMilli()) : null;
                String existing = openEvents.get(key);
                if (existing != null) {
                    store.assign(existing, d.personId(), visitorId);
                    store.touch(existing, d.at().toEpochMilli(), d.similarity());
                    store.quality(existing, quality(d));
                } else {
                    int[] box = {Math.round(d.box().x()), Math.round(d.box().y()), Math.round(d.box().w()), Math.round(d.box().h())};
                    String id = store.insert(new EventStore.NewEvent(d.eventId(), d.cameraId(), d.trackId(), d.personId(), visitorId, d.similarity(),
                            d.firstSeen().toEpochMilli(), d.at().toEpochMilli(), box, d.modelId(), d.embedding(), d.crop(), d.thumbnail(),
                            d.snapshot(), quality(d)));
                    openEvents.put(key, id);
                }
                written.incrementAndGet();
            }
            case TrackOutcome.Ended e -> {
                String id = openEvents.remove(key);
                if (id != null) {
                    store.touch(id, e.at().toEpochMilli(), e.bestSimilarity());
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EventStore.Quality quality(TrackOutcome.Decided d) {
        return new EventStore.Quality(d.quality().height(), d.quality().sharpness(), d.quality().yaw());
    }
}
