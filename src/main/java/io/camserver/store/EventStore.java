package io.camserver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Sightings: one row per track outcome, with its pictures; the visitors they form are {@link #visitors()}. */
public final class EventStore {
    private final Database db;
    private final VisitorStore visitors;

    public EventStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.visitors = new VisitorStore(db);
    }

    /**
     * The quality of the view a sighting was decided from.
     *
     * @param height    face height in frame pixels
     * @param sharpness variance of the Laplacian of the aligned face
     * @param yaw       degrees turned from the camera
     */
    public record Quality(float height, float sharpness, float yaw) {
    }

    /** A new sighting with its images. */
    public record NewEvent(String id, String cameraId, long trackId, String personId, String visitorId, float similarity, long firstSeen,
                           long lastSeen, int[] box, String modelId, float[] embedding, byte[] crop, byte[] thumbnail, byte[] snapshot,
                           Quality quality) {
        public NewEvent {
            Objects.requireNonNull(quality, "quality");
        }
    }

    /**
     * A sighting as listed (no blobs); quality is absent for sightings recorded before it was kept;
     * {@code relabelledAt} is when an unknown sighting was named later.
     */
    public record EventInfo(String id, String cameraId, long trackId, Optional<String> personId, Optional<String> personName,
                            Optional<String> visitorId, Optional<Long> visitorNumber, float similarity, long firstSeen, long lastSeen,
                            int[] box, Optional<Quality> quality, Optional<Long> relabelledAt) {
    }

    /** Search filter; empty fields match everything. */
    public record Filter(Optional<String> personId, Optional<String> cameraId, Optional<Long> from, Optional<Long> to,
                         Optional<String> visitorId, boolean unknownOnly, int limit) {
        public static Filter all(int limit) {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, limit);
        }
    }

    public String insert(NewEvent e) {
        return db.transaction(c -> {
            String id = e.id();
            int bytes = e.crop().length + e.thumbnail().length + e.snapshot().length + e.embedding().length * 4;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO events (id, camera_id, track_id, person_id, cluster_id, similarity, first_seen, last_seen, box, model_id,
                                        embedding, crop, thumbnail, snapshot, bytes, face_height, sharpness, yaw)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, e.cameraId());
                ps.setLong(3, e.trackId());
                ps.setString(4, e.personId());
                ps.setString(5, e.visitorId());
                ps.setDouble(6, e.similarity());
                ps.setLong(7, e.firstSeen());
                ps.setLong(8, e.lastSeen());
                ps.setString(9, e.box()[0] + "," + e.box()[1] + "," + e.box()[2] + "," + e.box()[3]);
                ps.setString(10, e.modelId());
                ps.setBytes(11, Blobs.floats(e.embedding()));
                ps.setBytes(12, e.crop());
                ps.setBytes(13, e.thumbnail());
                ps.setBytes(14, e.snapshot());
                ps.setInt(15, bytes);
                ps.setDouble(16, e.quality().height());
                ps.setDouble(17, e.quality().sharpness());
                ps.setDouble(18, e.quality().yaw());
                ps.executeUpdate();
            } catch (SQLException ex) {
                if (PeopleStore.isForeignKey(ex)) {
                    // the person was deleted while the face was on camera: keep it as unknown
                    throw new ConflictException("person " + e.personId() + " no longer exists");
                }
                throw ex;
            }
            return id;
        });
    }

    public void touch(String id, long lastSeen, float similarity) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE events SET last_seen = ?, similarity = CASE WHEN similarity < ? THEN ? ELSE similarity END WHERE id = ?")) {
                ps.setLong(1, lastSeen);
                ps.setDouble(2, similarity);
                ps.setDouble(3, similarity);
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<Long> relabelledAt(ResultSet rs) throws SQLException {
        long at = rs.getLong(15);
        return rs.wasNull() ? Optional.empty() : Optional.of(at);
    }

    private static Optional<Quality> quality(ResultSet rs) throws SQLException {
        float h = rs.getFloat(12);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(new Quality(h, rs.getFloat(13), rs.getFloat(14)));
    }

    /** The vote changed its mind on a later view: the sighting now records that view's quality. */
    public void quality(String id, Quality q) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET face_height = ?, sharpness = ?, yaw = ? WHERE id = ?")) {
                ps.setDouble(1, q.height());
                ps.setDouble(2, q.sharpness());
                ps.setDouble(3, q.yaw());
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static final String LISTED = """
            SELECT e.id, e.camera_id, e.track_id, e.person_id, p.name, e.cluster_id, k.number, e.similarity, e.first_seen, e.last_seen, e.box,
                   e.face_height, e.sharpness, e.yaw, e.relabelled_at
            FROM events e LEFT JOIN people p ON p.id = e.person_id LEFT JOIN clusters k ON k.id = e.cluster_id""";

    /** These sightings as listed, in the order of {@code ids}; ids that no longer exist are left out. */
    public List<EventInfo> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> some = ids.subList(0, Math.min(ids.size(), 1000));
        Map<String, EventInfo> found = new java.util.HashMap<>();
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(LISTED + " WHERE e.id IN (" + String.join(", ", java.util.Collections.nCopies(some.size(), "?"))
                    + ")")) {
                for (int i = 0; i < some.size(); i++) {
                    ps.setString(i + 1, some.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EventInfo e = listed(rs);
                        found.put(e.id(), e);
                    }
                }
            }
            return null;
        });
        return some.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    private static EventInfo listed(ResultSet rs) throws SQLException {
        long num = rs.getLong(7);
        Optional<Long> number = rs.wasNull() ? Optional.empty() : Optional.of(num);
        return new EventInfo(rs.getString(1), rs.getString(2), rs.getLong(3), Optional.ofNullable(rs.getString(4)),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)), number, rs.getFloat(8),
                rs.getLong(9), rs.getLong(10), box(rs.getString(11)), quality(rs), relabelledAt(rs));
    }

    public List<EventInfo> search(Filter f) {
        StringBuilder sql = new StringBuilder(LISTED + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        f.personId().ifPresent(v -> {
            sql.append(" AND e.person_id = ?");
            args.add(v);
        });
        f.cameraId().ifPresent(v -> {
            sql.append(" AND e.camera_id = ?");
            args.add(v);
        });
        f.visitorId().ifPresent(v -> {
            sql.append(" AND e.cluster_id = ?");
            args.add(v);
        });
        f.from().ifPresent(v -> {
            sql.append(" AND e.last_seen >= ?");
            args.add(v);
        });
        f.to().ifPresent(v -> {
            sql.append(" AND e.first_seen <= ?");
            args.add(v);
        });
        if (f.unknownOnly()) {
            sql.append(" AND e.person_id IS NULL");
        }
        sql.append(" ORDER BY e.first_seen DESC LIMIT ").append(Math.max(1, Math.min(f.limit(), 5000)));
        return db.transaction(c -> {
            List<EventInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i) instanceof Long l) {
                        ps.setLong(i + 1, l);
                    } else {
                        ps.setString(i + 1, (String) args.get(i));
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(listed(rs));
                    }
                }
            }
            return out;
        });
    }

    /** One of the event's images: {@code thumbnail}, {@code snapshot} or {@code crop}. */
    public Optional<byte[]> image(String id, String which) {
        if (!List.of("thumbnail", "snapshot", "crop").contains(which)) {
            throw new IllegalArgumentException("no event image '" + which + "'");
        }
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + which + " FROM events WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** An event's face as stored: model, embedding and aligned crop (to become a sample). */
    public record Face(String eventId, String modelId, float[] embedding, byte[] crop, Optional<String> personId) {
    }

    public Optional<Face> face(String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT model_id, embedding, crop, person_id FROM events WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Face(id, rs.getString(1), Blobs.floats(rs.getBytes(2)), rs.getBytes(3),
                            Optional.ofNullable(rs.getString(4)))) : Optional.empty();
                }
            }
        });
    }

    /** Sets (or clears, with null) who an event shows; clearing also detaches it from a visitor. */
    public boolean assign(String eventId, String personId, String visitorId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET person_id = ?, cluster_id = ? WHERE id = ?")) {
                ps.setString(1, personId);
                ps.setString(2, visitorId);
                ps.setString(3, eventId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Deletes one sighting with its pictures (a sample made from it keeps its own copy of the
     * crop); its unknown group counts one sighting less and goes when it has none left.
     */
    public boolean delete(String eventId) {
        return db.transaction(c -> {
            String cluster = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT cluster_id FROM events WHERE id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    cluster = rs.getString(1);
                }
            }
            exec(c, "UPDATE samples SET event_id = NULL WHERE event_id = ?", eventId);
            exec(c, "DELETE FROM events WHERE id = ?", eventId);
            if (cluster != null) {
                exec(c, "UPDATE clusters SET sightings = (SELECT COUNT(*) FROM events e WHERE e.cluster_id = clusters.id) WHERE id = ?", cluster);
                exec(c, "DELETE FROM clusters WHERE id = ? AND sightings = 0", cluster);
            }
            return true;
        });
    }

    /** Where and when a person was seen. */
    public record Seen(String eventId, String cameraId, long at) {
    }

    /**
     * Every named person's latest sightings, newest first, at most {@code perPerson} each, in one
     * query (a window over each person's sightings): what the People page shows on every card.
     */
    public java.util.Map<String, List<Seen>> lastSeenByPerson(int perPerson) {
        return db.transaction(c -> {
            java.util.Map<String, List<Seen>> out = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT person_id, id, camera_id, last_seen FROM (
                      SELECT person_id, id, camera_id, last_seen,
                             ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY last_seen DESC) AS n
                      FROM events WHERE person_id IS NOT NULL) latest
                    WHERE n <= ? ORDER BY person_id, last_seen DESC""")) {
                ps.setInt(1, perPerson);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Seen(rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    /** The groups of recurring unknown faces these sightings form. */
    public VisitorStore visitors() {
        return visitors;
    }

    /** The stored "x,y,w,h" as the [x, y, w, h] array every API and event carries. */
    private static int[] box(String text) {
        String[] p = text.split(",");
        int[] b = new int[4];
        for (int i = 0; i < 4 && i < p.length; i++) {
            b[i] = Integer.parseInt(p[i].trim());
        }
        return b;
    }

    /** The total size of stored events (images and vectors), bytes. */
    public long totalBytes() {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(bytes), 0) FROM events"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    public long count() {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Deletes events older than {@code maxAge}, then the oldest until the total is under
     * {@code maxBytes}; visitors left without events go too. Returns how many events went.
     * Events that became samples keep their sample (the sample owns a copy of the crop).
     */
    public int enforceRetention(Duration maxAge, long maxBytes, long now) {
        return db.transaction(c -> {
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE last_seen < ?")) {
                ps.setLong(1, now - maxAge.toMillis());
                deleted = ps.executeUpdate();
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(bytes), 0) FROM events"); ResultSet rs = ps.executeQuery()) {
                total = rs.next() ? rs.getLong(1) : 0;
            }
            if (total > maxBytes) {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, bytes FROM events ORDER BY last_seen ASC");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && total > maxBytes) {
                        ids.add(rs.getString(1));
                        total -= rs.getLong(2);
                    }
                }
                for (String id : ids) {
                    exec(c, "UPDATE samples SET event_id = NULL WHERE event_id = ?", id);
                    deleted += exec(c, "DELETE FROM events WHERE id = ?", id);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM clusters WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.cluster_id = clusters.id)")) {
                ps.executeUpdate();
            }
            return deleted;
        });
    }

    private static int exec(Connection c, String sql, String arg) throws SQLException {
        return PeopleStore.exec(c, sql, arg);
    }
}
