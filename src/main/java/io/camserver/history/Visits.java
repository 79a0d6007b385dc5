package io.camserver.history;

import io.camserver.store.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sightings as people think of them: consecutive sightings of one person (or of one unknown
 * visitor, or of one unknown face that joined no group) on one camera, with gaps under
 * {@code gap}, are one visit. A face that turns away and back, or walks out of frame for a
 * moment, is then one row on the timeline, not five.
 */
public final class Visits {
    private Visits() {
    }

    /**
     * One visit: who (a person, a visitor group, or neither), where, from when to when, how many
     * sightings, and the best one's id and similarity (its thumbnail stands for the visit).
     */
    public record Visit(Optional<String> personId, Optional<String> personName, Optional<String> visitorId, Optional<Long> visitorNumber,
                        String cameraId, long from, long to, int sightings, String best, float bestSimilarity) {
    }

    /** Groups {@code sightings} (any order) into visits, newest first. */
    public static List<Visit> of(List<EventStore.EventInfo> sightings, Duration gap) {
        Map<String, List<EventStore.EventInfo>> byWhoAndWhere = new HashMap<>();
        for (EventStore.EventInfo e : sightings) {
            String who = e.personId().map(p -> "p:" + p).or(() -> e.visitorId().map(v -> "v:" + v)).orElse("e:" + e.id());
            byWhoAndWhere.computeIfAbsent(who + "@" + e.cameraId(), k -> new ArrayList<>()).add(e);
        }
        List<Visit> out = new ArrayList<>();
        for (List<EventStore.EventInfo> run : byWhoAndWhere.values()) {
            run.sort(Comparator.comparingLong(EventStore.EventInfo::firstSeen));
            List<EventStore.EventInfo> visit = new ArrayList<>();
            long end = Long.MIN_VALUE;
            for (EventStore.EventInfo e : run) {
                if (!visit.isEmpty() && e.firstSeen() - end > gap.toMillis()) {
                    out.add(visit(visit));
                    visit = new ArrayList<>();
                }
                visit.add(e);
                end = visit.size() == 1 ? e.lastSeen() : Math.max(end, e.lastSeen());
            }
            out.add(visit(visit));
        }
        out.sort(Comparator.comparingLong(Visit::from).reversed());
        return out;
    }

    private static Visit visit(List<EventStore.EventInfo> v) {
        EventStore.EventInfo first = v.get(0);
        EventStore.EventInfo best = v.stream().max(Comparator.comparingDouble(EventStore.EventInfo::similarity)).orElseThrow();
        long to = v.stream().mapToLong(EventStore.EventInfo::lastSeen).max().orElse(first.lastSeen());
        return new Visit(first.personId(), first.personName(), first.visitorId(), first.visitorNumber(), first.cameraId(), first.firstSeen(), to,
                v.size(), best.id(), best.similarity());
    }
}
