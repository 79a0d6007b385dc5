package io.camserver.store;

import io.camserver.ingest.CameraCatalog;
import io.camserver.ingest.CameraRegistry;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The cameras added at run time, in the {@code cameras} table (schema v6). */
public final class CameraStore implements CameraCatalog.Store {
    private static final String COLUMNS = "id, url, kind, fps, transport, interval_ms, username, password, insecure, updated_at";
    private final Database db;

    public CameraStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public List<CameraCatalog.Entry> list() {
        return db.transaction(c -> {
            List<CameraCatalog.Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cameras ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<CameraCatalog.Entry> get(String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cameras WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<CameraCatalog.Entry>empty();
                }
            }
        });
    }

    private static CameraCatalog.Entry row(ResultSet rs) throws SQLException {
        return new CameraCatalog.Entry(rs.getString(1), URI.create(rs.getString(2)), CameraRegistry.StaticKind.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                rs.getDouble(4), "udp".equals(rs.getString(5)), Duration.ofMillis(rs.getLong(6)), rs.getString(7), rs.getString(8), rs.getInt(9) != 0,
                rs.getLong(10));
    }

    @Override
    public void insert(CameraCatalog.Entry e) {
        db.transaction(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM cameras WHERE id = ?")) {
                check.setString(1, e.id());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalStateException("camera " + e.id() + " exists");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cameras (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, e);
                ps.setLong(11, e.updatedAt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void update(CameraCatalog.Entry e) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE cameras SET id = ?, url = ?, kind = ?, fps = ?, transport = ?, interval_ms = ?, username = ?, password = ?, insecure = ?, "
                            + "updated_at = ? WHERE id = ?")) {
                bind(ps, e);
                ps.setString(11, e.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, CameraCatalog.Entry e) throws SQLException {
        ps.setString(1, e.id());
        ps.setString(2, e.url().toString());
        ps.setString(3, e.kind().name().toLowerCase(Locale.ROOT));
        ps.setDouble(4, e.fps());
        ps.setString(5, e.udp() ? "udp" : "tcp");
        ps.setLong(6, e.interval().toMillis());
        ps.setString(7, e.username());
        ps.setString(8, e.password());
        ps.setInt(9, e.insecure() ? 1 : 0);
        ps.setLong(10, e.updatedAt());
    }

    @Override
    public boolean delete(String id) {
        return db.transaction(c -> PeopleStore.exec(c, "DELETE FROM cameras WHERE id = ?", id) > 0);
    }
}
