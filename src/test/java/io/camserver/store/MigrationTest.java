package io.camserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.PostgresServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schema migrations by Flyway: each script once, an edited or a future one refused, and
 * databases made before Flyway (versions in {@code schema_version}) taken over with their data.
 */
class MigrationTest {
    private static final AtomicInteger DB = new AtomicInteger();

    @TempDir
    Path tmp;

    private Database open(String kind, String url, Path dir) {
        return url == null ? Database.sqlite(dir) : Database.postgres(url, "camserver", "");
    }

    private static String newUrl(String kind, String name) throws Exception {
        return kind.equals("postgres") ? PostgresServer.shared().newDatabase(name + DB.incrementAndGet()) : null;
    }

    /** The migration scripts this build carries for a dialect (shared and its own), in version order. */
    private static List<Path> scripts(String kind) throws Exception {
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("common", kind)) {
            URI uri = Database.class.getResource("/db/migration/" + dir).toURI();
            try (Stream<Path> files = Files.list(Path.of(uri))) {
                files.filter(f -> f.getFileName().toString().matches("V[\\d.]+__.+\\.sql")).forEach(all::add);
            }
        }
        all.sort(java.util.Comparator.comparing(f -> org.flywaydb.core.api.MigrationVersion.fromVersion(
                f.getFileName().toString().replaceAll("^V([\\d.]+)__.*", "$1"))));
        return all;
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migrationsRunOnceAndANewerSchemaIsRefused(String kind) throws Exception {
        String url = newUrl(kind, "mig");
        Path dir = tmp.resolve(kind);
        int scripts = scripts(kind).size();
        try (Database db = open(kind, url, dir)) {
            new PeopleStore(db).create("kept");
            assertEquals(scripts, count(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE success"), "every migration applied once");
        }
        try (Database db = open(kind, url, dir)) {
            assertEquals(1, new PeopleStore(db).list().size(), "reopening keeps data");
            assertEquals(scripts, count(db, "SELECT COUNT(*) FROM flyway_schema_history"), "and migrates nothing again");
            // What a database migrated by a newer camserver looks like.
            exec(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
                    + "execution_time, success) VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 0, "
                    + (kind.equals("sqlite") ? "1" : "true") + ")");
        }
        StoreException e = assertThrows(StoreException.class, () -> open(kind, url, dir).close());
        assertTrue(e.getMessage().contains("has schema version 99, newer than this camserver (14)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anAppliedMigrationThatWasEditedIsRefused(String kind) throws Exception {
        String url = newUrl(kind, "edit");
        Path dir = tmp.resolve(kind);
        try (Database db = open(kind, url, dir)) {
            // What a database that ran an older text of V2 looks like.
            exec(db, "UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '2'");
        }
        StoreException e = assertThrows(StoreException.class, () -> open(kind, url, dir).close());
        assertTrue(e.getMessage().contains("migration V2 was edited after it was applied; restore it"), e.getMessage());
    }

    /** A SQLite file made by camserver before Flyway (schema_version 1-9, one person), committed as it was. */
    @Test
    void aSqliteDatabaseFromBeforeFlywayIsTakenOverWithItsData() throws Exception {
        Path dir = tmp.resolve("legacy");
        Files.createDirectories(dir);
        try (InputStream in = MigrationTest.class.getResourceAsStream("/legacy/camserver-schema-v9.db")) {
            Files.copy(in, dir.resolve("camserver.db"));
        }
        try (Database db = Database.sqlite(dir)) {
            assertEquals(List.of("Legacy Person"), new PeopleStore(db).list().stream().map(PeopleStore.PersonInfo::name).toList());
            assertEquals(1, count(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '9' AND type = 'BASELINE'"),
                    "its version is Flyway's baseline");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'"), "the old table is gone");
            new PeopleStore(db).create("Added after");
        }
        try (Database db = Database.sqlite(dir)) {
            assertEquals(2, new PeopleStore(db).list().size(), "a second start migrates nothing and keeps everything");
        }
    }

    /**
     * A database the pre-Flyway runner left at version 7 (its scripts run in order and recorded
     * in schema_version, as that runner did): Flyway takes it over at 7 and applies 8 and 9.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anOlderDatabaseFromBeforeFlywayGetsTheVersionsItLacks(String kind) throws Exception {
        String url = newUrl(kind, "old");
        Path dir = tmp.resolve("old-" + kind);
        Files.createDirectories(dir);
        String jdbc = url != null ? url : "jdbc:sqlite:" + dir.resolve("camserver.db");
        try (Connection c = DriverManager.getConnection(jdbc, url != null ? "camserver" : null, url != null ? "" : null);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at BIGINT NOT NULL, checksum TEXT)");
            for (Path script : scripts(kind).stream().filter(f -> !f.getFileName().toString().matches("V([89]|\\d\\d+)[_.].*")).toList()) {
                for (String stmt : statements(Files.readString(script, StandardCharsets.UTF_8))) {
                    st.execute(stmt);
                }
            }
            for (int v = 1; v <= 7; v++) {
                st.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", 0)");
            }
            st.execute("INSERT INTO people (id, name, created_at, updated_at) VALUES ('p1', 'From v7', 0, 0)");
        }
        try (Database db = open(kind, url, dir)) {
            assertEquals(List.of("From v7"), new PeopleStore(db).list().stream().map(PeopleStore.PersonInfo::name).toList());
            assertEquals(7, count(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE type = 'SQL' AND success"), "8 to 14 applied");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM camera_labels"), "v8's table exists");
        }
        try (Connection c = DriverManager.getConnection(jdbc, url != null ? "camserver" : null, url != null ? "" : null);
             ResultSet rs = c.getMetaData().getTables(null, null, "schema_version", null)) {
            assertFalse(rs.next(), "the old table is gone");
        }
    }

    /** Statements of a script: split at semicolons that end a line, comment lines dropped (as the old runner did). */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(cur.toString().strip().replaceAll(";$", ""));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
