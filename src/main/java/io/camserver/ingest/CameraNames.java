package io.camserver.ingest;

import io.camserver.store.CameraLabels;
import io.camserver.store.CameraLabels.Label;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Friendly names and locations of cameras ("Front door", "Shop"), by camera id, for every kind of
 * camera. Kept in the database (so they survive restarts and re-registrations, and every replica
 * shows the same) and cached here: every caption, event and payload asks {@link #name}, which
 * never touches the database. A camera without a label is called by its id.
 */
public final class CameraNames {
    private final CameraLabels store;
    private volatile Map<String, Label> cache;

    public CameraNames(CameraLabels store) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Map.copyOf(store.all());
    }

    /** None kept anywhere: every camera is called by its id (tests, tools). */
    public static CameraNames none() {
        return new CameraNames(new CameraLabels() {
            @Override
            public Map<String, Label> all() {
                return Map.of();
            }

            @Override
            public void put(String id, Label label) {
                throw new UnsupportedOperationException("no store for camera names");
            }
        });
    }

    public String name(String cameraId) {
        Label l = cache.get(cameraId);
        return l == null ? cameraId : l.name();
    }

    /** The camera's location, or "" when none was given. */
    public String location(String cameraId) {
        Label l = cache.get(cameraId);
        return l == null ? "" : l.location();
    }

    public Optional<Label> label(String cameraId) {
        return Optional.ofNullable(cache.get(cameraId));
    }

    /** Sets what is given (null keeps the current value); returns the label now in force. */
    public synchronized Label set(String cameraId, String name, String location) {
        Label old = cache.get(cameraId);
        String n = name != null ? clean("name", name, 60) : old != null ? old.name() : cameraId;
        String loc = location != null ? (location.isBlank() ? "" : clean("location", location, 80)) : old != null ? old.location() : "";
        if (n.isEmpty()) {
            throw new InvalidField("name", "name must not be empty");
        }
        Label l = new Label(n, loc);
        store.put(cameraId, l);
        Map<String, Label> next = new ConcurrentHashMap<>(cache);
        next.put(cameraId, l);
        cache = Map.copyOf(next);
        return l;
    }

    /** Re-reads the labels (another replica may have changed one). */
    public void refresh() {
        cache = Map.copyOf(store.all());
    }

    private static String clean(String field, String v, int max) {
        String t = v.strip();
        if (t.length() > max) {
            throw new InvalidField(field, field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.isISOControl(t.charAt(i))) {
                throw new InvalidField(field, field + " must not contain control characters");
            }
        }
        return t;
    }
}
