package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The faces of the history, for what looks at all of them at once (search by face, naming past
 * sightings when a person gets new samples): read in one pass, and the one change such a pass
 * makes, naming an unknown sighting later. The rest of the events table is {@link EventStore}'s.
 */
public final class SightingFaces {
    private final Database db;

    public SightingFaces(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** One sighting's face: its vector, where and when, and whom it names (null: unknown). */
    public record Row(String eventId, String cameraId, long firstSeen, long lastSeen, String personId, float[] embedding) {
    }

    private static final String SELECT = "SELECT id, camera_id, first_seen, last_seen, person_id, embedding FROM events";

    private static Row row(ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), Blobs.floats(rs.getBytes(6)));
    }

    /** Every sighting of {@code modelId}, oldest first, handed to {@code each} as it is read (no list of them all). */
    public void forEach(String modelId, Consumer<Row> each) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE model_id = ? ORDER BY first_seen")) {
                ps.setFetchSize(1000); // PostgreSQL streams with a cursor inside the transaction instead of loading everything
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        each.accept(row(rs));
                    }
                }
            }
            return null;
        });
    }

    /**
     * Names an unknown sighting later: only while it is still unknown, and only when no other
     * sighting on its camera at an overlapping time already names that person (one person once in
     * a frame). It leaves its visitor group: it is somebody now. Returns whether it was named.
     */
    public boolean nameLater(String eventId, String personId, float similarity, long now) {
        return db.transaction(c -> {
            try (PreparedStatement clash = c.prepareStatement("""
                    SELECT 1 FROM events o JOIN events e ON e.id = ? WHERE o.camera_id = e.camera_id AND o.person_id = ? AND o.id <> e.id
                    AND o.first_seen <= e.last_seen AND o.last_seen >= e.first_seen""")) {
                clash.setString(1, eventId);
                clash.setString(2, personId);
                try (ResultSet rs = clash.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE events SET person_id = ?, similarity = ?, cluster_id = NULL, relabelled_at = ? WHERE id = ? AND person_id IS NULL")) {
                ps.setString(1, personId);
                ps.setDouble(2, similarity);
                ps.setLong(3, now);
                ps.setString(4, eventId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The face vectors of these sightings that still exist, by id (for checking candidates exactly). */
    public List<Row> rows(List<String> eventIds) {
        List<Row> out = new ArrayList<>();
        for (String id : eventIds) {
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(row(rs));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }
}
