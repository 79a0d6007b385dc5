package io.camserver.gallery;

import io.camserver.store.ConflictException;
import io.camserver.store.EventStore;
import io.camserver.store.NegativeStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What users tell the gallery about sightings, kept so that it changes what is decided next:
 * "not X" keeps the sighting's face as a negative example of X (a face closer to it than to X's
 * own samples is never named X again), and "ignore" keeps it as a face never to announce (a
 * poster, a television). Both live in the database, so every replica has them, and both rebuild
 * the live index at once. Changes hold the gallery service's lock, as its own changes do.
 */
public final class Corrections {
    private static final Logger log = LoggerFactory.getLogger(Corrections.class);

    private final GalleryService gallery;
    private final NegativeStore negatives;
    private final EventStore events;

    Corrections(GalleryService gallery, NegativeStore negatives, EventStore events) {
        this.gallery = Objects.requireNonNull(gallery, "gallery");
        this.negatives = Objects.requireNonNull(negatives, "negatives");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** What "not X" did: samples taken from that sighting removed, and the negative example kept (none when it named nobody). */
    public record Rejected(int samplesRemoved, Optional<NegativeStore.NegativeInfo> negative) {
    }

    /**
     * "Not X": the sighting becomes unknown, samples made from it go, and its face is kept as a
     * negative example of X.
     */
    public Rejected reject(String eventId) {
        synchronized (gallery) {
            EventStore.Face f = events.face(eventId).orElseThrow(() -> new ConflictException("no event " + eventId));
            int removed = gallery.people().deleteSamplesOfEvent(eventId);
            Optional<NegativeStore.NegativeInfo> negative = f.personId()
                    .map(person -> negatives.add(person, eventId, f.modelId(), f.embedding(), f.crop()));
            events.assign(eventId, null, null);
            gallery.rebuild();
            log.info("event {} marked not {}; {} samples removed{}", eventId, f.personId().orElse("anyone"), removed,
                    negative.map(n -> "; kept as negative example " + n.id()).orElse(""));
            return new Rejected(removed, negative);
        }
    }

    /** "Ignore": faces like this sighting's are still recorded, never announced (no MQTT, webhook or live face event). */
    public NegativeStore.NegativeInfo ignore(String eventId) {
        synchronized (gallery) {
            EventStore.Face f = events.face(eventId).orElseThrow(() -> new ConflictException("no event " + eventId));
            NegativeStore.NegativeInfo n = negatives.add(null, eventId, f.modelId(), f.embedding(), f.crop());
            gallery.rebuild();
            log.info("event {}: faces like it are ignored from now on ({})", eventId, n.id());
            return n;
        }
    }

    /** A person's negative examples, newest first; null lists the ignored faces. */
    public List<NegativeStore.NegativeInfo> of(String personId) {
        if (personId != null && gallery.people().get(personId).isEmpty()) {
            throw new ConflictException("no person " + personId);
        }
        return negatives.of(personId);
    }

    public Optional<byte[]> crop(String negativeId) {
        return negatives.crop(negativeId);
    }

    /** Takes a correction back; false when there was none. */
    public boolean delete(String negativeId) {
        synchronized (gallery) {
            boolean gone = negatives.delete(negativeId);
            if (gone) {
                gallery.rebuild();
            }
            return gone;
        }
    }
}
