package io.camserver.history;

import io.camserver.gallery.Gallery;
import io.camserver.gallery.Match;
import io.camserver.store.PeopleStore;
import io.camserver.store.SightingFaces;
import io.camserver.vision.Embedding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History that learns: when a person gets new samples (a photo, a live frame, a sighting, a named
 * group of unknown faces), the unknown sightings of the last {@code window} are looked at again,
 * in the background, and those that now match that person take the name, marked as named later.
 * "Now match" is the live rule in full: threshold, margin over the runner-up, negative examples,
 * and one person once per frame (no other sighting on that camera at that time names them).
 * Nothing is announced again for an old sighting: no MQTT, webhook or live event; the log says how
 * many were named.
 */
public final class Relabeller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relabeller.class);
    /** Room for the 8-bit vectors' rounding: candidates this far under the threshold are checked exactly. */
    private static final float SLACK = 0.02f;

    private final SightingIndex index;
    private final SightingFaces faces;
    private final PeopleStore people;
    private final Gallery gallery;
    private final String modelId;
    private final Duration window;
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Thread worker;
    private volatile boolean running = true;

    public Relabeller(SightingIndex index, SightingFaces faces, PeopleStore people, Gallery gallery, String modelId, Duration window) {
        this.index = Objects.requireNonNull(index, "index");
        this.faces = Objects.requireNonNull(faces, "faces");
        this.people = Objects.requireNonNull(people, "people");
        this.gallery = Objects.requireNonNull(gallery, "gallery");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.window = Objects.requireNonNull(window, "window");
        this.worker = Thread.ofVirtual().name("relabeller").start(this::work);
    }

    /** A person got samples: look at the recent unknown sightings again, soon, once however often asked. */
    public void request(String personId) {
        synchronized (waiting) {
            waiting.add(personId);
            waiting.notifyAll();
        }
    }

    private void work() {
        while (running) {
            String next;
            synchronized (waiting) {
                while (running && waiting.isEmpty()) {
                    try {
                        waiting.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                next = waiting.iterator().next();
                waiting.remove(next);
            }
            try {
                rescan(next);
            } catch (RuntimeException e) {
                log.warn("naming past sightings of {} failed: {}", next, e.getMessage());
            }
        }
    }

    /** Names the recent unknown sightings that now match {@code personId}; returns how many. */
    public int rescan(String personId) {
        long t0 = System.nanoTime();
        List<float[]> samples = new ArrayList<>();
        for (PeopleStore.StoredSample s : people.samplesOf(modelId)) {
            if (s.personId().equals(personId)) {
                samples.add(s.embedding());
            }
        }
        if (samples.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        List<SightingIndex.Hit> candidates = index.unknownLike(samples, gallery.config().threshold() - SLACK, now - window.toMillis());
        int named = 0;
        List<String> ids = candidates.stream().map(SightingIndex.Hit::eventId).toList();
        for (SightingFaces.Row r : faces.rows(ids)) {
            if (r.personId() != null) {
                index.setPerson(r.eventId(), r.personId());
                continue;
            }
            Match m = gallery.match(new Embedding(r.embedding(), modelId));
            if (m.known() && m.person().get().id().equals(personId) && !m.ignored()
                    && faces.nameLater(r.eventId(), personId, m.similarity(), now)) {
                index.setPerson(r.eventId(), personId);
                named++;
            }
        }
        if (named > 0 || !candidates.isEmpty()) {
            log.info("history: {} of {} unknown sightings of the last {} days now named {} ({} ms)", named, candidates.size(), window.toDays(),
                    personId, (System.nanoTime() - t0) / 1_000_000);
        }
        return named;
    }

    @Override
    public void close() {
        running = false;
        synchronized (waiting) {
            waiting.notifyAll();
        }
    }
}
