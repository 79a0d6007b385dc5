package io.camserver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.store.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sightings into visits: one person on one camera with short gaps is one visit. */
class VisitsTest {
    private static final long T = 1_800_000_000_000L;

    private static EventStore.EventInfo seen(String id, String camera, String person, String visitor, long fromSec, long toSec, float sim) {
        return new EventStore.EventInfo(id, camera, 1, Optional.ofNullable(person), Optional.ofNullable(person == null ? null : person.toUpperCase()),
                Optional.ofNullable(visitor), Optional.ofNullable(visitor == null ? null : 7L), sim, T + fromSec * 1000, T + toSec * 1000,
                new int[] {0, 0, 10, 10}, Optional.empty(), Optional.empty());
    }

    @Test
    void fortySecondsInFrontOfOneCameraIsOneVisit() {
        List<EventStore.EventInfo> s = new ArrayList<>();
        // Amy for 40 s on the door camera, her track broken four times (turning away, walking out of frame).
        s.add(seen("a1", "door", "amy", null, 0, 6, 0.6f));
        s.add(seen("a2", "door", "amy", null, 9, 15, 0.8f));
        s.add(seen("a3", "door", "amy", null, 18, 25, 0.7f));
        s.add(seen("a4", "door", "amy", null, 30, 34, 0.5f));
        s.add(seen("a5", "door", "amy", null, 36, 40, 0.6f));
        // Back after 5 minutes: another visit. On another camera meanwhile: another visit.
        s.add(seen("a6", "door", "amy", null, 340, 350, 0.6f));
        s.add(seen("a7", "hall", "amy", null, 20, 30, 0.6f));
        // A recurring unknown face (one group) and two one-off unknown faces.
        s.add(seen("u1", "door", null, "g1", 0, 5, 0.2f));
        s.add(seen("u2", "door", null, "g1", 50, 55, 0.2f));
        s.add(seen("x1", "door", null, null, 0, 5, 0.1f));
        s.add(seen("x2", "door", null, null, 10, 15, 0.1f));
        List<Visits.Visit> v = Visits.of(s, Duration.ofMinutes(2));
        Visits.Visit first = v.stream().filter(x -> x.best().equals("a2")).findFirst().orElseThrow();
        assertEquals(5, first.sightings(), "one visit of five sightings, its best the one that stands for it");
        assertEquals(T, first.from());
        assertEquals(T + 40_000, first.to());
        assertEquals(List.of(1, 1), v.stream().filter(x -> x.best().equals("a6") || x.best().equals("a7")).map(Visits.Visit::sightings).toList());
        assertEquals(2, v.stream().filter(x -> x.visitorId().isPresent()).findFirst().orElseThrow().sightings(), "the unknown group's two");
        assertEquals(6, v.size(), "5 + 1 later + 1 elsewhere, the group, and each one-off face alone");
        assertEquals("a6", v.get(0).best(), "newest first");
    }
}
