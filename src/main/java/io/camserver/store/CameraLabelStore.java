package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Camera names and locations, in the {@code camera_labels} table (schema v8). */
public final class CameraLabelStore implements CameraLabels {
    private final Database db;

    public CameraLabelStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Map<String, Label> all() {
        return db.transaction(c -> {
            Map<String, Label> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, location FROM camera_labels"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Label(rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public void put(String id, Label label) {
        db.transaction(c -> {
            int n;
            try (PreparedStatement up = c.prepareStatement("UPDATE camera_labels SET name = ?, location = ?, updated_at = ? WHERE id = ?")) {
                up.setString(1, label.name());
                up.setString(2, label.location());
                up.setLong(3, System.currentTimeMillis());
                up.setString(4, id);
                n = up.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement in = c.prepareStatement("INSERT INTO camera_labels (id, name, location, updated_at) VALUES (?, ?, ?, ?)")) {
                    in.setString(1, id);
                    in.setString(2, label.name());
                    in.setString(3, label.location());
                    in.setLong(4, System.currentTimeMillis());
                    in.executeUpdate();
                }
            }
            return null;
        });
    }
}
