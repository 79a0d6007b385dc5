package io.camserver.history;

import io.camserver.store.EventStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Search by face: the sightings of the whole stored history whose face is most like a given
 * one, best first, as the history lists them (the database has the last word: a sighting removed
 * since the index was loaded is left out).
 */
public final class FaceSearch {
    private final SightingIndex index;
    private final EventStore events;

    public FaceSearch(SightingIndex index, EventStore events) {
        this.index = Objects.requireNonNull(index, "index");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** A sighting found, and how similar its face is. */
    public record Found(EventStore.EventInfo event, float similarity) {
    }

    /** @param limit at most this many (1-1000); {@code min} the least similarity worth showing */
    public List<Found> search(float[] face, int limit, float min) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1-1000 (was " + limit + ")");
        }
        if (!(min >= -1 && min <= 1)) {
            throw new IllegalArgumentException("minSimilarity must be in [-1, 1] (was " + min + ")");
        }
        List<SightingIndex.Hit> hits = index.search(face, limit, min);
        Map<String, Float> similarity = new HashMap<>();
        hits.forEach(h -> similarity.put(h.eventId(), h.similarity()));
        return events.byIds(hits.stream().map(SightingIndex.Hit::eventId).toList()).stream()
                .map(e -> new Found(e, similarity.get(e.id()))).toList();
    }

    /** Whether every stored sighting is searched yet (the index loads in the background at start). */
    public boolean complete() {
        return index.loaded();
    }
}
