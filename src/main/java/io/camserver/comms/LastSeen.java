package io.camserver.comms;

import io.camserver.live.TrackOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the broker keeps per camera (retained): the last person seen there, and with it the
 * snapshot of that sighting. Kept here to know when it must go: its person deleted or renamed,
 * its sighting rejected ("not X"), or older than the history keeps sightings. Owned by the MQTT
 * loop's thread, except {@link #retract}.
 */
final class LastSeen {
    record Entry(String person, String eventId, long at) {
    }

    private final Map<String, Entry> byCamera = new HashMap<>();
    /** Sightings the user rejected ("not X"); any thread adds, the loop takes. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> retracted = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A sighting the user rejected: a camera whose retained state is of it must be cleared. Any thread. */
    void retract(String eventId) {
        retracted.add(eventId);
    }

    /**
     * Cameras whose retained state must go now: of a rejected sighting, or older than {@code cutoff}
     * (epoch ms; the history no longer keeps that sighting, so neither may the broker).
     */
    List<String> withdrawn(long cutoff) {
        Set<String> rejected = new java.util.HashSet<>();
        for (String e = retracted.poll(); e != null; e = retracted.poll()) {
            rejected.add(e);
        }
        return select((camera, e) -> rejected.contains(e.eventId()) || e.at() < cutoff);
    }

    void remember(TrackOutcome.Decided d) {
        byCamera.put(d.cameraId(), new Entry(d.personName(), d.eventId(), d.at().toEpochMilli()));
    }

    void forget(String camera) {
        byCamera.remove(camera);
    }

    Map<String, Entry> all() {
        return Map.copyOf(byCamera);
    }

    /** Cameras whose last person is a name nobody has now (deleted, renamed). */
    List<String> namingNoneOf(Set<String> names) {
        return select((camera, e) -> !e.person().equals("unknown") && !names.contains(e.person()));
    }

    private List<String> select(java.util.function.BiPredicate<String, Entry> which) {
        List<String> out = new ArrayList<>();
        byCamera.forEach((camera, e) -> {
            if (which.test(camera, e)) {
                out.add(camera);
            }
        });
        return out;
    }
}
