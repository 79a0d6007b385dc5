package io.camserver.comms;

import io.camserver.live.TrackOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is home: each known person's last sighting, and "away" once they have not been seen for
 * {@code mqtt.presenceTimeout}. Kept while the broker is away too, so presence is right the
 * moment it comes back. Owned by the MQTT loop's thread: no locking.
 */
final class Presences {
    /** A person's presence as published: its slug names the topics. */
    record Presence(String name, String slug, long lastSeenMs, String camera, float similarity, boolean home) {
        Presence away() {
            return new Presence(name, slug, lastSeenMs, camera, similarity, false);
        }

        /** The attributes Home Assistant shows beside home / not_home. */
        Map<String, Object> attributes() {
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("name", name);
            attrs.put("camera", camera);
            attrs.put("last_seen", lastSeenMs == 0 ? null : Instant.ofEpochMilli(lastSeenMs).toString());
            attrs.put("similarity", lastSeenMs == 0 ? null : Math.round(similarity * 1000) / 1000.0);
            return attrs;
        }
    }

    private final Duration timeout;
    private final Map<String, Presence> byPerson = new HashMap<>();

    Presences(Duration timeout) {
        this.timeout = timeout;
    }

    Presence get(String personId) {
        return byPerson.get(personId);
    }

    void put(String personId, Presence p) {
        byPerson.put(personId, p);
    }

    void remove(String personId) {
        byPerson.remove(personId);
    }

    Collection<Presence> all() {
        return byPerson.values();
    }

    /** A named face was decided: its person is home, seen there now. {@code slug} names a person seen for the first time. */
    void seen(TrackOutcome.Decided d, String slug) {
        Presence before = byPerson.get(d.personId());
        byPerson.put(d.personId(), new Presence(d.personName(), before != null ? before.slug() : slug, d.at().toEpochMilli(), d.cameraId(),
                d.similarity(), true));
    }

    /** Marks away whoever has not been seen for the timeout; returns them, to be published. */
    List<Presence> expire(long now) {
        List<Presence> gone = new ArrayList<>();
        for (Map.Entry<String, Presence> e : byPerson.entrySet()) {
            Presence p = e.getValue();
            if (p.home() && now - p.lastSeenMs() > timeout.toMillis()) {
                e.setValue(p.away());
                gone.add(p.away());
            }
        }
        return gone;
    }
}
