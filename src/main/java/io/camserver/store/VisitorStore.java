package io.camserver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Visitors: the groups of recurring unknown faces (table {@code clusters}, numbered "unknown #12").
 * An unknown face joins the visitor whose centroid it is most like, if close enough, in one
 * transaction (under a lock on PostgreSQL, so replicas sharing the database grow one set).
 */
public final class VisitorStore {
    private final Database db;

    VisitorStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public record VisitorInfo(String id, long number, String modelId, float[] centroid, int sightings, long createdAt, long lastSeen,
                              int cameras, Optional<String> latestEventId, boolean hidden) {
    }

    public List<EventStore.Face> faces(String visitorId, int limit) {
        return db.transaction(c -> {
            List<EventStore.Face> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, model_id, embedding, crop FROM events WHERE cluster_id = ? ORDER BY first_seen DESC LIMIT " + limit)) {
                ps.setString(1, visitorId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EventStore.Face(rs.getString(1), rs.getString(2), Blobs.floats(rs.getBytes(3)), rs.getBytes(4), Optional.empty()));
                    }
                }
            }
            return out;
        });
    }

    /** Moves every event of a visitor to a person and deletes the visitor. */
    public int name(String visitorId, String personId) {
        return db.transaction(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET person_id = ?, cluster_id = NULL WHERE cluster_id = ?")) {
                ps.setString(1, personId);
                ps.setString(2, visitorId);
                n = ps.executeUpdate();
            }
            PeopleStore.exec(c, "DELETE FROM clusters WHERE id = ?", visitorId);
            return n;
        });
    }

    public List<VisitorInfo> list(String modelId) {
        return db.transaction(c -> {
            List<VisitorInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT k.id, k.number, k.model_id, k.centroid, k.sightings, k.created_at, k.last_seen,
                           (SELECT COUNT(DISTINCT e.camera_id) FROM events e WHERE e.cluster_id = k.id),
                           (SELECT e.id FROM events e WHERE e.cluster_id = k.id ORDER BY e.first_seen DESC LIMIT 1), k.hidden
                    FROM clusters k WHERE k.model_id = ? ORDER BY k.last_seen DESC""")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new VisitorInfo(rs.getString(1), rs.getLong(2), rs.getString(3), Blobs.floats(rs.getBytes(4)), rs.getInt(5),
                                rs.getLong(6), rs.getLong(7), rs.getInt(8), Optional.ofNullable(rs.getString(9)), rs.getBoolean(10)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Puts an unknown face into the nearest visitor whose centroid it matches with cosine at
     * least {@code threshold} (updating the centroid: the mean of its members' unit vectors,
     * renormalised), or into a new visitor. One transaction, and on PostgreSQL under a table
     * lock: replicas that see the same stranger at once end up in one visitor, never two, and a
     * new visitor's number comes from a sequence, so two never collide. Returns the visitor id.
     */
    public String join(String modelId, float[] v, float threshold, long now) {
        return db.transaction(c -> {
            if (db.dialect() == Database.Dialect.POSTGRES) {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE clusters IN SHARE ROW EXCLUSIVE MODE");
                }
            }
            String bestId = null;
            float[] bestCentroid = null;
            long bestSightings = 0;
            float bestSim = -1;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, centroid, sightings FROM clusters WHERE model_id = ?")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        float[] centroid = Blobs.floats(rs.getBytes(2));
                        float s = dot(v, centroid);
                        if (s > bestSim) {
                            bestSim = s;
                            bestId = rs.getString(1);
                            bestCentroid = centroid;
                            bestSightings = rs.getLong(3);
                        }
                    }
                }
            }
            if (bestId != null && bestSim >= threshold) {
                float[] sum = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    sum[i] = bestCentroid[i] * bestSightings + v[i];
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE clusters SET centroid = ?, sightings = sightings + 1, last_seen = ? WHERE id = ?")) {
                    ps.setBytes(1, Blobs.floats(normalise(sum)));
                    ps.setLong(2, now);
                    ps.setString(3, bestId);
                    ps.executeUpdate();
                }
                return bestId;
            }
            return insert(c, modelId, v, 1, now).id();
        });
    }

    public VisitorInfo create(String modelId, float[] centroid, long now) {
        return db.transaction(c -> insert(c, modelId, centroid, 0, now));
    }

    private VisitorInfo insert(java.sql.Connection c, String modelId, float[] centroid, int sightings, long now) throws SQLException {
        {
            long number = 1;
            // PostgreSQL: a sequence (concurrent replicas). SQLite: its single writer makes MAX+1 safe.
            String next = db.dialect() == Database.Dialect.POSTGRES ? "SELECT nextval('cluster_numbers')"
                    : "SELECT COALESCE(MAX(number), 0) + 1 FROM clusters";
            try (PreparedStatement ps = c.prepareStatement(next); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    number = rs.getLong(1);
                }
            }
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO clusters (id, number, model_id, centroid, sightings, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setLong(2, number);
                ps.setString(3, modelId);
                ps.setBytes(4, Blobs.floats(centroid));
                ps.setInt(5, sightings);
                ps.setLong(6, now);
                ps.setLong(7, now);
                ps.executeUpdate();
            }
            return new VisitorInfo(id, number, modelId, centroid, sightings, now, now, 0, Optional.empty(), false);
        }
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(Math.max(n, 1e-12)));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** Hides a group from the list of faces to name (or shows it again); false when there is no such group. */
    public boolean hide(String id, boolean hidden) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE clusters SET hidden = ? WHERE id = ?")) {
                ps.setBoolean(1, hidden);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public boolean delete(String id) {
        return db.transaction(c -> PeopleStore.exec(c, "DELETE FROM clusters WHERE id = ?", id) > 0);
    }
}
