package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Replica heartbeats and camera registrations, shared by the replicas of one deployment. */
public final class ReplicaStore {
    private final Database db;

    public ReplicaStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** A camera's last registration, as any replica received it. */
    public record Registration(String cameraId, String address, String token, long registeredAt) {
    }

    /** A live replica and where its peers reach it (null until it knows its own address). */
    public record Member(String name, String url) {
    }

    public void heartbeat(String member, String url, long now) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO cluster_members (name, heartbeat_at, url) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, url = excluded.url""")) {
                ps.setString(1, member);
                ps.setLong(2, now);
                ps.setString(3, url);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void leave(String member) {
        db.transaction(c -> PeopleStore.exec(c, "DELETE FROM cluster_members WHERE name = ?", member));
    }

    /** Members that heartbeat at or after {@code since}, sorted by name. */
    public List<Member> liveMembers(long since) {
        return db.transaction(c -> {
            List<Member> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, url FROM cluster_members WHERE heartbeat_at >= ? ORDER BY name")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Member(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Why a shared registration was not recorded; the count is what was already there. */
    public enum Cap { NONE, TOTAL, PER_ADDRESS }

    public record Admission(Cap refusedBy, long count) {
    }

    /**
     * Records a registration unless it is new and the table is at {@code maxCameras}, or at
     * {@code maxPerAddress} entries from the same source. The check and the insert are one
     * transaction under a table lock, so two replicas registering at once cannot both slip under
     * a cap.
     *
     * @param sameSource tells whether a stored address comes from the registering source
     */
    public Admission registerCapped(String cameraId, String address, String token, long now, int maxCameras, int maxPerAddress,
                                    java.util.function.Predicate<String> sameSource) {
        return db.transaction(c -> {
            if (db.dialect() == Database.Dialect.POSTGRES) {
                try (var st = c.createStatement()) {
                    st.execute("LOCK TABLE registrations IN SHARE ROW EXCLUSIVE MODE");
                }
            }
            long total = 0;
            long fromSource = 0;
            boolean known = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT camera_id, address FROM registrations");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total++;
                    known |= rs.getString(1).equals(cameraId);
                    fromSource += sameSource.test(rs.getString(2)) ? 1 : 0;
                }
            }
            if (!known && total >= maxCameras) {
                return new Admission(Cap.TOTAL, total);
            }
            if (!known && fromSource >= maxPerAddress) {
                return new Admission(Cap.PER_ADDRESS, fromSource);
            }
            upsert(c, cameraId, address, token, now);
            return new Admission(Cap.NONE, total);
        });
    }

    /** Marks registrations as alive (their cameras are streaming), so expiry leaves them. */
    public void touch(java.util.Collection<String> cameraIds, long now) {
        if (cameraIds.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE registrations SET registered_at = ? WHERE camera_id = ?")) {
                for (String id : cameraIds) {
                    ps.setLong(1, now);
                    ps.setString(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public void register(String cameraId, String address, String token, long now) {
        db.transaction(c -> {
            upsert(c, cameraId, address, token, now);
            return null;
        });
    }

    private static void upsert(java.sql.Connection c, String cameraId, String address, String token, long now)
            throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO registrations (camera_id, address, token, registered_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (camera_id) DO UPDATE SET address = excluded.address, token = excluded.token,
                                                      registered_at = excluded.registered_at""")) {
            ps.setString(1, cameraId);
            ps.setString(2, address);
            ps.setString(3, token);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    public List<Registration> registrations() {
        return db.transaction(c -> {
            List<Registration> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT camera_id, address, token, registered_at FROM registrations ORDER BY camera_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Registration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    public boolean forget(String cameraId) {
        return db.transaction(c -> PeopleStore.exec(c, "DELETE FROM registrations WHERE camera_id = ?", cameraId) > 0);
    }

    /** Drops registrations not renewed since {@code cutoff} (cameras gone for good). */
    public int expire(long cutoff) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM registrations WHERE registered_at < ?")) {
                ps.setLong(1, cutoff);
                return ps.executeUpdate();
            }
        });
    }
}
