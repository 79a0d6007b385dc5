package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Corrections the gallery keeps (schema v12, table {@code negatives}): faces the user said are
 * not a person (negative examples of that person), and faces to ignore (no person: a poster, a
 * television). In the database, so every replica has them; each change bumps the gallery's
 * version like a change to samples, so every replica rebuilds its index.
 */
public final class NegativeStore {
    private final Database db;

    public NegativeStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** One correction as listed: {@code personId} empty for an ignored face. */
    public record NegativeInfo(String id, Optional<String> personId, Optional<String> eventId, String modelId, long createdAt) {
    }

    /** A correction with its vector, for building the match index. */
    public record StoredNegative(String id, Optional<String> personId, Optional<String> personName, float[] embedding) {
    }

    /** Keeps {@code embedding} (with its aligned crop) as not {@code personId}, or as ignored when {@code personId} is null. */
    public NegativeInfo add(String personId, String eventId, String modelId, float[] embedding, byte[] crop) {
        return db.transaction(c -> {
            String id = UUID.randomUUID().toString();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO negatives (id, person_id, event_id, model_id, embedding, crop, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, personId);
                ps.setString(3, eventId);
                ps.setString(4, modelId);
                ps.setBytes(5, Blobs.floats(embedding));
                ps.setBytes(6, crop);
                ps.setLong(7, now);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (PeopleStore.isForeignKey(e)) {
                    throw new ConflictException("no person " + personId);
                }
                throw e;
            }
            PeopleStore.bumpVersion(c);
            return new NegativeInfo(id, Optional.ofNullable(personId), Optional.ofNullable(eventId), modelId, now);
        });
    }

    /** A person's negative examples, newest first; {@code personId} null lists the ignored faces. */
    public List<NegativeInfo> of(String personId) {
        return db.transaction(c -> {
            List<NegativeInfo> out = new ArrayList<>();
            String where = personId == null ? "person_id IS NULL" : "person_id = ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT id, person_id, event_id, model_id, created_at FROM negatives WHERE " + where
                    + " ORDER BY created_at DESC, id")) {
                if (personId != null) {
                    ps.setString(1, personId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NegativeInfo(rs.getString(1), Optional.ofNullable(rs.getString(2)), Optional.ofNullable(rs.getString(3)),
                                rs.getString(4), rs.getLong(5)));
                    }
                }
            }
            return out;
        });
    }

    /** Every correction of a model, with the person's name, for the match index. */
    public List<StoredNegative> ofModel(String modelId) {
        return db.transaction(c -> {
            List<StoredNegative> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT n.id, n.person_id, p.name, n.embedding FROM negatives n LEFT JOIN people p ON p.id = n.person_id
                    WHERE n.model_id = ? ORDER BY n.created_at, n.id""")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredNegative(rs.getString(1), Optional.ofNullable(rs.getString(2)), Optional.ofNullable(rs.getString(3)),
                                Blobs.floats(rs.getBytes(4))));
                    }
                }
            }
            return out;
        });
    }

    public Optional<byte[]> crop(String id) {
        return PeopleStore.crop(db, "SELECT crop FROM negatives WHERE id = ?", id);
    }

    /** Removes a correction; false when there was none. */
    public boolean delete(String id) {
        return db.transaction(c -> {
            int n = PeopleStore.exec(c, "DELETE FROM negatives WHERE id = ?", id);
            if (n > 0) {
                PeopleStore.bumpVersion(c);
            }
            return n > 0;
        });
    }
}
