package io.camserver.history;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.TrackOutcome;
import io.camserver.store.ConflictException;
import io.camserver.store.EventStore;
import io.camserver.store.Journal;
import io.camserver.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history: writes track outcomes from the {@link Dispatcher} as sightings and groups
 * recurring unknown faces into visitors ("unknown #12"). Analysis workers hand outcomes over through a bounded
 * queue and never wait for the database; when the writer falls that far behind, outcomes are
 * dropped and counted. One writer thread owns the open-track map and the journal, so they need no
 * lock.
 *
 * <p>When the database is unreachable (restarting, failing over, out of disk), outcomes go to a
 * bounded journal on local disk instead, in order; the writer tries the database again every
 * {@link #RETRY} and, once it answers, writes the journal out oldest first before anything new, so
 * the history after an outage is the history as it happened, and a restart of camserver meanwhile
 * loses nothing either. An outcome the database refuses (rather than cannot take) is logged, counted
 * and not retried, so one bad record never holds back the rest.
 *
 * <p>Grouping is online and greedy: an unknown face joins the visitor whose centroid (mean of
 * its members' unit vectors, renormalised) it is most similar to, if that similarity reaches
 * the threshold; otherwise it starts a new visitor ("unknown #12"). Centroids live in the
 * database, not here, so that replicas sharing it grow one set of visitors
 * ({@link EventStore#joinVisitor}).
 */
public final class HistoryWriter implements Dispatcher.Subscriber, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);

    /** How often the database is tried again while it is away. */
    static final Duration RETRY = Duration.ofSeconds(2);

    private final EventStore store;
    private final Journal journal;
    private final SightingIndex index;
    private final Runnable reindex;
    private final String modelId;
    private final float visitorThreshold;
    private final Duration maxAge;
    private final long maxBytes;
    private final BlockingQueue<TrackOutcome> queue = new ArrayBlockingQueue<>(512);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile Instant awaySince; // null while the database answers
    private long nextTry;
    private final Map<String, String> openEvents = new HashMap<>(); // camera/track -> event id
    private final Thread writer;
    private volatile boolean running = true;
    private long lastRetention;

    /**
     * @param journal where outcomes wait while the database is away (a folder of the data directory)
     * @param index   every sighting's face in memory, kept up as sightings are written
     * @param reindex loads the index again (in the background) after retention removed sightings
     */
    public HistoryWriter(EventStore store, Journal journal, SightingIndex index, Runnable reindex, String modelId, float visitorThreshold,
                         Duration maxAge, long maxBytes) {
        this.store = Objects.requireNonNull(store, "store");
        this.index = Objects.requireNonNull(index, "index");
        this.reindex = Objects.requireNonNull(reindex, "reindex");
        this.journal = Objects.requireNonNull(journal, "journal");
        if (!journal.isEmpty()) {
            awaySince = Instant.now(); // a previous run left outcomes: write them out before anything new
        }
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

    /** Outcomes the database refused (not retried). */
    public long refused() {
        return refused.get();
    }

    /** Outcomes waiting in the journal for the database. */
    public int journaled() {
        return journal.size();
    }

    /** Outcomes lost because the journal was full or the disk would not take them. */
    public long journalRefused() {
        return journal.refused();
    }

    /**
     * Why the history is behind, when it is: since when the database has been unreachable and
     * how many sightings wait in the journal (what the public {@code /readyz} says, so no host
     * names or paths; the log has those). Empty while sightings are written as they happen.
     */
    public Optional<String> degraded() {
        Instant since = awaySince;
        if (since == null && journal.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("database unreachable since " + (since == null ? "just now" : since.truncatedTo(ChronoUnit.SECONDS))
                + "; " + journal.size() + " sightings journaled, written when it answers"
                + (journal.refused() > 0 ? "; " + journal.refused() + " lost to a full journal" : ""));
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                TrackOutcome o = queue.poll(journal.isEmpty() ? 1000 : 200, TimeUnit.MILLISECONDS);
                if (o != null) {
                    if (journal.isEmpty() && awaySince == null) {
                        write(o);
                    } else {
                        keep(o);
                    }
                }
                long now = System.currentTimeMillis();
                if (!journal.isEmpty() && now >= nextTry) {
                    replay();
                }
                if (awaySince == null && now - lastRetention > 60_000) {
                    lastRetention = now;
                    int n = store.enforceRetention(maxAge, maxBytes, now);
                    if (n > 0) {
                        log.info("retention removed {} events (events.maxAge {}, events.maxBytes {})", n, maxAge, maxBytes);
                        reindex.run();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StoreException e) {
                log.warn("event history: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("event history failed", e);
            }
        }
    }

    /** Writes one outcome now; journals it when the database cannot take it. */
    private void write(TrackOutcome o) {
        try {
            handle(o);
        } catch (StoreException e) {
            if (!e.unavailable()) {
                refuse(o, e);
                return;
            }
            away(e);
            keep(o);
        } catch (ConflictException e) {
            refuse(o, e);
        }
    }

    private void keep(TrackOutcome o) {
        if (!journal.append(OutcomeCodec.encode(o))) {
            dropped.incrementAndGet();
            log.warn("event history: journal full ({} sightings, {} bytes in {}): a {} on camera {} is lost", journal.size(), journal.bytes(),
                    journal.dir(), o instanceof TrackOutcome.Decided ? "sighting" : "track end", cameraOf(o));
        }
    }

    /** Writes the journal out, oldest first, until it is empty or the database goes away again. */
    private void replay() {
        int done = 0;
        while (running || !journal.isEmpty()) {
            Optional<Journal.Entry> next = journal.first();
            if (next.isEmpty()) {
                break;
            }
            TrackOutcome o;
            try {
                o = OutcomeCodec.decode(next.get().data());
            } catch (IllegalArgumentException e) {
                refused.incrementAndGet();
                log.warn("event history: journal record {} unreadable, skipped: {}", next.get().seq(), e.getMessage());
                journal.remove(next.get());
                continue;
            }
            try {
                handle(o);
            } catch (StoreException e) {
                if (e.unavailable()) {
                    away(e);
                    return;
                }
                refuse(o, e);
            } catch (ConflictException e) {
                refuse(o, e);
            }
            journal.remove(next.get());
            done++;
        }
        if (journal.isEmpty()) {
            if (awaySince != null) {
                log.info("event history: the database answers again; {} journaled sightings written in order (away since {})", done, awaySince);
            }
            awaySince = null;
        }
    }

    private void away(StoreException e) {
        nextTry = System.currentTimeMillis() + RETRY.toMillis();
        if (awaySince == null) {
            awaySince = Instant.now();
            log.warn("event history: the database is unreachable ({}); sightings go to the journal {} until it answers", e.getMessage(),
                    journal.dir());
        }
    }

    private void refuse(TrackOutcome o, RuntimeException e) {
        refused.incrementAndGet();
        log.warn("event history: the database refused a {} on camera {}, not retried: {}",
                o instanceof TrackOutcome.Decided ? "sighting" : "track end", cameraOf(o), e.getMessage());
    }

    private static String cameraOf(TrackOutcome o) {
        return switch (o) {
            case TrackOutcome.Decided d -> d.cameraId();
            case TrackOutcome.Ended e -> e.cameraId();
        };
    }

    private void handle(TrackOutcome o) {
        String key = o.cameraId() + "/" + o.trackId();
        switch (o) {
            case TrackOutcome.Decided d -> {
                String visitorId = d.personId() == null ? store.visitors().join(modelId, d.embedding(), visitorThreshold, d.at().toEpochMilli()) : null;
                String existing = openEvents.get(key);
                if (existing != null) {
                    store.assign(existing, d.personId(), visitorId);
                    index.setPerson(existing, d.personId());
                    store.touch(existing, d.at().toEpochMilli(), d.similarity());
                    store.quality(existing, quality(d));
                } else {
                    int[] box = {Math.round(d.box().x()), Math.round(d.box().y()), Math.round(d.box().w()), Math.round(d.box().h())};
                    String id = store.insert(new EventStore.NewEvent(d.eventId(), d.cameraId(), d.trackId(), d.personId(), visitorId, d.similarity(),
                            d.firstSeen().toEpochMilli(), d.at().toEpochMilli(), box, d.modelId(), d.embedding(), d.crop(), d.thumbnail(),
                            d.snapshot(), quality(d)));
                    openEvents.put(key, id);
                    index.add(id, d.firstSeen().toEpochMilli(), d.personId(), d.embedding());
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
