package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The cameras added at run time, in the {@code cameras} table (schema v6). */
public final class CameraStore {
    /**
     * One stored camera, as columns: the camera catalog turns it into its specification. The
     * url carries no credentials; they are in their own columns.
     */
    public record Row(String id, String url, String kind, double fps, String transport, long intervalMs, String username, String password,
                      boolean insecure, String auth, long updatedAt) {
            public String toString() {
            return "Row[" + id + ", " + kind + (username == null ? "" : ", user " + username + ", ***") + "]";
        }
    }

    private static final String COLUMNS = "id, url, kind, fps, transport, interval_ms, username, password, insecure, auth, updated_at";
    private final Database db;

    public CameraStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public List<Row> list() {
        return db.transaction(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cameras ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    public Optional<Row> get(String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cameras WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Row>empty();
                }
            }
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                rs.getString(8), rs.getInt(9) != 0, rs.getString(10), rs.getLong(11));
    }

    public void insert(Row e) {
        db.transaction(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM cameras WHERE id = ?")) {
                check.setString(1, e.id());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalStateException("camera " + e.id() + " exists");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cameras (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, e);
                ps.setLong(12, e.updatedAt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void update(Row e) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE cameras SET id = ?, url = ?, kind = ?, fps = ?, transport = ?, interval_ms = ?, username = ?, password = ?, insecure = ?, "
                            + "auth = ?, updated_at = ? WHERE id = ?")) {
                bind(ps, e);
                ps.setString(12, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, Row e) throws SQLException {
        Object[] columns = {e.id(), e.url(), e.kind(), e.fps(), e.transport(), e.intervalMs(), e.username(), e.password(), e.insecure() ? 1 : 0,
                e.auth(), e.updatedAt()};
        for (int i = 0; i < columns.length; i++) {
            ps.setObject(i + 1, columns[i]);
        }
    }

    public boolean delete(String id) {
        return db.transaction(c -> PeopleStore.exec(c, "DELETE FROM cameras WHERE id = ?", id) > 0);
    }
}
