package io.camserver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** People and their face samples. Every method is one transaction. */
public final class PeopleStore {
    private final Database db;

    public PeopleStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** A person as listed: with how many samples they have. */
    /**
     * @param bestSampleId the sample that stands for the person (their face in lists): the best
     *                      view, facing the camera (within 25 degrees) and large (up to 160 px, as
     *                      an aligned crop holds no more), then the sharpest
     */
    public record PersonInfo(String id, String name, long createdAt, int samples, Optional<String> bestSampleId) {
    }

    /** A sample without its blobs. */
    public record SampleInfo(String id, String personId, String modelId, String source, Optional<String> eventId, long createdAt,
                             Optional<EventStore.Quality> quality) {
        public SampleInfo(String id, String personId, String modelId, String source, Optional<String> eventId, long createdAt) {
            this(id, personId, modelId, source, eventId, createdAt, Optional.empty());
        }
    }

    /** What the matcher needs from a sample. */
    public record StoredSample(String id, String personId, String personName, String modelId, float[] embedding) {
    }

    public PersonInfo create(String name) {
        String clean = cleanName(name);
        return db.transaction(c -> {
            Optional<PersonInfo> taken = findByName(c, clean);
            if (taken.isPresent()) {
                throw new NameTakenException(taken.get());
            }
            String id = UUID.randomUUID().toString();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, clean);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            bumpVersion(c);
            return new PersonInfo(id, clean, now, 0, Optional.empty());
        });
    }

    /** The person with this exact name, created if absent (folder import, naming a visitor). */
    public PersonInfo findOrCreate(String name) {
        String clean = cleanName(name);
        Optional<PersonInfo> existing = db.transaction(c -> findByName(c, clean));
        return existing.orElseGet(() -> {
            try {
                return create(clean);
            } catch (NameTakenException raced) {
                return raced.existing();
            }
        });
    }

    static String cleanName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (n.length() > 100) {
            throw new IllegalArgumentException("name must be at most 100 characters (was " + n.length() + ")");
        }
        for (char ch : n.toCharArray()) {
            if (Character.isISOControl(ch)) {
                throw new IllegalArgumentException("name must not contain control characters");
            }
        }
        return n;
    }

    public List<PersonInfo> list() {
        return db.transaction(c -> {
            List<PersonInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT p.id, p.name, p.created_at, COUNT(s.id), (SELECT b.id FROM samples b WHERE b.person_id = p.id ORDER BY
                            CASE WHEN b.yaw IS NULL OR ABS(b.yaw) < 25 THEN 0 ELSE 1 END,
                            CASE WHEN b.face_height IS NULL THEN 0 WHEN b.face_height > 160 THEN 160 ELSE b.face_height END DESC,
                            COALESCE(b.sharpness, 0) DESC, b.id LIMIT 1)
                    FROM people p LEFT JOIN samples s ON s.person_id = p.id
                    GROUP BY p.id, p.name, p.created_at ORDER BY p.name""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PersonInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), Optional.ofNullable(rs.getString(5))));
                }
            }
            return out;
        });
    }

    public Optional<PersonInfo> get(String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT p.id, p.name, p.created_at, COUNT(s.id), (SELECT b.id FROM samples b WHERE b.person_id = p.id ORDER BY
                            CASE WHEN b.yaw IS NULL OR ABS(b.yaw) < 25 THEN 0 ELSE 1 END,
                            CASE WHEN b.face_height IS NULL THEN 0 WHEN b.face_height > 160 THEN 160 ELSE b.face_height END DESC,
                            COALESCE(b.sharpness, 0) DESC, b.id LIMIT 1)
                    FROM people p LEFT JOIN samples s ON s.person_id = p.id
                    WHERE p.id = ? GROUP BY p.id, p.name, p.created_at""")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PersonInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            Optional.ofNullable(rs.getString(5)))) : Optional.<PersonInfo>empty();
                }
            }
        });
    }

    /** The person with this name, compared ignoring case and surrounding spaces ("Penny" is " penny"), in any script. */
    public Optional<PersonInfo> byName(String name) {
        String clean = cleanName(name);
        return db.transaction(c -> findByName(c, clean));
    }

    private static Optional<PersonInfo> findByName(Connection c, String name) throws SQLException {
        // Compared here, not in SQL: SQLite's lower() folds ASCII only, and a gallery is small.
        String key = nameKey(name);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM people ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (nameKey(rs.getString(2)).equals(key)) {
                    return Optional.of(new PersonInfo(rs.getString(1), rs.getString(2), rs.getLong(3), 0, Optional.empty()));
                }
            }
        }
        return Optional.empty();
    }

    static String nameKey(String name) {
        return java.text.Normalizer.normalize(name.strip(), java.text.Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Moves everything of person {@code id} (samples, negative examples, sightings) to person
     * {@code into} and removes {@code id}, in one transaction.
     */
    public PersonInfo merge(String id, String into) {
        if (id.equals(into)) {
            throw new IllegalArgumentException("a person cannot be merged into themselves");
        }
        db.transaction(c -> {
            for (String p : List.of(id, into)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM people WHERE id = ?")) {
                    ps.setString(1, p);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new ConflictException("no person " + p);
                        }
                    }
                }
            }
            for (String table : List.of("samples", "negatives", "events")) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET person_id = ? WHERE person_id = ?")) {
                    ps.setString(1, into);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            }
            exec(c, "DELETE FROM people WHERE id = ?", id);
            bumpVersion(c);
            return null;
        });
        return get(into).orElseThrow();
    }

    public PersonInfo rename(String id, String name) {
        String clean = cleanName(name);
        return db.transaction(c -> {
            Optional<PersonInfo> other = findByName(c, clean);
            if (other.isPresent() && !other.get().id().equals(id)) {
                throw new NameTakenException(other.get());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE people SET name = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, clean);
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, id);
                if (ps.executeUpdate() == 0) {
                    throw new ConflictException("no person " + id);
                }
            }
            bumpVersion(c);
            return new PersonInfo(id, clean, 0, 0, Optional.empty());
        });
    }

    /** Deletes the person, their samples and their events (face crops and frames) for good. */
    public boolean delete(String id) {
        return db.transaction(c -> {
            // Explicit deletes rather than trusting ON DELETE CASCADE alone: SQLite only honours
            // it on connections with foreign_keys on, and this must never leave faces behind.
            exec(c, "DELETE FROM samples WHERE person_id = ?", id);
            exec(c, "DELETE FROM samples WHERE event_id IN (SELECT id FROM events WHERE person_id = ?)", id);
            exec(c, "DELETE FROM events WHERE person_id = ?", id);
            bumpVersion(c);
            return exec(c, "DELETE FROM people WHERE id = ?", id) > 0;
        });
    }

    public SampleInfo addSample(String personId, String modelId, float[] embedding, byte[] crop, String source, String eventId) {
        return addSample(personId, modelId, embedding, crop, source, eventId, null);
    }

    /** As above, with the quality of the view it was enrolled from (null when not measured). */
    public SampleInfo addSample(String personId, String modelId, float[] embedding, byte[] crop, String source, String eventId,
                                EventStore.Quality quality) {
        return db.transaction(c -> {
            String id = UUID.randomUUID().toString();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO samples (id, person_id, event_id, model_id, embedding, crop, source, created_at, face_height, sharpness, yaw)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, personId);
                ps.setString(3, eventId);
                ps.setString(4, modelId);
                ps.setBytes(5, Blobs.floats(embedding));
                ps.setBytes(6, crop);
                ps.setString(7, source);
                ps.setLong(8, now);
                if (quality == null) {
                    ps.setNull(9, java.sql.Types.REAL);
                    ps.setNull(10, java.sql.Types.REAL);
                    ps.setNull(11, java.sql.Types.REAL);
                } else {
                    ps.setDouble(9, quality.height());
                    ps.setDouble(10, quality.sharpness());
                    ps.setDouble(11, quality.yaw());
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                if (isForeignKey(e)) {
                    throw new ConflictException("no person " + personId);
                }
                throw e;
            }
            bumpVersion(c);
            return new SampleInfo(id, personId, modelId, source, Optional.ofNullable(eventId), now, Optional.ofNullable(quality));
        });
    }

    public List<SampleInfo> samples(String personId) {
        return db.transaction(c -> {
            List<SampleInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, person_id, model_id, source, event_id, created_at, face_height, sharpness, yaw FROM samples WHERE person_id = ? "
                            + "ORDER BY created_at")) {
                ps.setString(1, personId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double h = rs.getDouble(7);
                        Optional<EventStore.Quality> q = rs.wasNull() ? Optional.empty()
                                : Optional.of(new EventStore.Quality((float) h, (float) rs.getDouble(8), (float) rs.getDouble(9)));
                        out.add(new SampleInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Optional.ofNullable(rs.getString(5)), rs.getLong(6), q));
                    }
                }
            }
            return out;
        });
    }

    public Optional<byte[]> sampleCrop(String sampleId) {
        return crop(db, "SELECT crop FROM samples WHERE id = ?", sampleId);
    }

    /** The one picture {@code sql} selects by id, if that row exists. */
    static Optional<byte[]> crop(Database db, String sql, String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    public boolean deleteSample(String sampleId) {
        return db.transaction(c -> {
            bumpVersion(c);
            return exec(c, "DELETE FROM samples WHERE id = ?", sampleId) > 0;
        });
    }

    public int deleteSamplesOfEvent(String eventId) {
        return db.transaction(c -> {
            bumpVersion(c);
            return exec(c, "DELETE FROM samples WHERE event_id = ?", eventId);
        });
    }

    /** Every sample of a model, with its owner's name, for building the match index. */
    public List<StoredSample> samplesOf(String modelId) {
        return db.transaction(c -> {
            List<StoredSample> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.id, s.person_id, p.name, s.model_id, s.embedding FROM samples s JOIN people p ON p.id = s.person_id
                    WHERE s.model_id = ? ORDER BY p.name, s.created_at""")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredSample(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Blobs.floats(rs.getBytes(5))));
                    }
                }
            }
            return out;
        });
    }

    /** A stored sample made by another model: its aligned crop, to be embedded again. */
    public record Stale(String id, String modelId, byte[] crop) {
    }

    public List<Stale> samplesNotOf(String modelId) {
        return db.transaction(c -> {
            List<Stale> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, model_id, crop FROM samples WHERE model_id <> ?")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Stale(rs.getString(1), rs.getString(2), rs.getBytes(3)));
                    }
                }
            }
            return out;
        });
    }

    public void replaceEmbedding(String sampleId, String modelId, float[] embedding) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE samples SET model_id = ?, embedding = ? WHERE id = ?")) {
                ps.setString(1, modelId);
                ps.setBytes(2, Blobs.floats(embedding));
                ps.setString(3, sampleId);
                ps.executeUpdate();
            }
            bumpVersion(c);
            return null;
        });
    }

    /**
     * The gallery's version: bumped in the same transaction as every change to people or
     * samples, so a replica holding an older one knows its in-memory gallery is stale.
     */
    public long version() {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM gallery_version WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    static void bumpVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE gallery_version SET version = version + 1 WHERE id = 1")) {
            ps.executeUpdate();
        }
    }

    static int exec(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            return ps.executeUpdate();
        }
    }

    static boolean isForeignKey(SQLException e) {
        String state = e.getSQLState();
        String msg = String.valueOf(e.getMessage());
        return "23503".equals(state) || msg.contains("FOREIGN KEY constraint failed");
    }
}
