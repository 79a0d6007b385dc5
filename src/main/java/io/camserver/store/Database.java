package io.camserver.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational store: an embedded SQLite file in the data directory by default (WAL mode:
 * readers never wait for the writer), or PostgreSQL when a JDBC URL is configured, so several
 * camserver replicas can share one gallery. Owns its connection pool; close it on shutdown.
 *
 * <p>Schema changes are versioned SQL scripts, {@code db/<dialect>/V<n>.sql}, applied in order
 * exactly once and recorded in {@code schema_version}; a database newer than this build is
 * refused rather than guessed at.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    public enum Dialect { SQLITE, POSTGRES }

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String description;

    private Database(HikariDataSource pool, Dialect dialect, String description) {
        this.pool = pool;
        this.dialect = dialect;
        this.description = description;
    }

    /** The embedded database file {@code <dataDir>/camserver.db}. */
    public static Database sqlite(Path dataDir) {
        Path file = dataDir.resolve("camserver.db").toAbsolutePath();
        try {
            PrivateFiles.directory(dataDir);
            // SQLite gives its -wal and -shm files the database file's permissions.
            PrivateFiles.file(file);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:sqlite:" + file);
        // foreign_keys is per connection in SQLite; busy_timeout makes a second writer wait
        // instead of failing at once.
        c.setConnectionInitSql("PRAGMA foreign_keys=ON");
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("busy_timeout", "10000");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.setMaximumPoolSize(4);
        c.setPoolName("sqlite");
        return open(c, Dialect.SQLITE, "SQLite " + file);
    }

    /** A PostgreSQL server, e.g. {@code jdbc:postgresql://db:5432/camserver}. */
    public static Database postgres(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StoreException("storage.url must start with jdbc:postgresql: (was " + url + ")");
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(8);
        c.setPoolName("postgres");
        c.setConnectionTimeout(10_000);
        return open(c, Dialect.POSTGRES, "PostgreSQL " + url.replaceAll("password=[^&]*", "password=***"));
    }

    private static Database open(HikariConfig c, Dialect dialect, String description) {
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open " + description + ": " + rootMessage(e), e);
        }
        Database db = new Database(ds, dialect, description);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return db;
    }

    /**
     * The database's host when it is on another machine (PostgreSQL not on loopback): then faces
     * and names leave this device, and the privacy page must say so.
     */
    public java.util.Optional<String> remoteHost() {
        if (dialect != Dialect.POSTGRES) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://\\[?([^/:\\]]+)").matcher(description.substring(11));
        if (!m.find()) {
            return java.util.Optional.of("unknown host");
        }
        String host = m.group(1);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        return loopback ? java.util.Optional.empty() : java.util.Optional.of(host);
    }

    public Dialect dialect() {
        return dialect;
    }

    public String description() {
        return description;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Runs {@code work} in one transaction; rolls back on any exception. */
    public <T> T transaction(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(description + ": " + e.getMessage(), e);
        }
    }

    /** Work done inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private void migrate() {
        String dir = dialect == Dialect.SQLITE ? "sqlite" : "postgres";
        // Version n is db/common/Vn.sql (what both dialects share) followed by db/<dialect>/Vn.sql
        // (what only one needs); either may be absent, not both.
        List<String> scripts = new ArrayList<>();
        for (int v = 1; ; v++) {
            String common = resource("/db/common/V" + v + ".sql");
            String own = resource("/db/" + dir + "/V" + v + ".sql");
            if (common == null && own == null) {
                break;
            }
            scripts.add(common == null ? own : own == null ? common : common + "\n" + own);
        }
        transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at BIGINT NOT NULL)");
            }
            if (dialect == Dialect.POSTGRES) {
                // Several replicas may start together: one migrates, the others wait here.
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
                }
            }
            ensureChecksumColumn(c);
            int current = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > scripts.size()) {
                throw new StoreException(description + " has schema version " + current + ", newer than this camserver ("
                        + scripts.size() + "); upgrade camserver instead of downgrading the database");
            }
            verifyApplied(c, scripts);
            for (int v = current + 1; v <= scripts.size(); v++) {
                for (String stmt : statements(scripts.get(v - 1))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(stmt);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, applied_at, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, checksum(scripts.get(v - 1)));
                    ps.executeUpdate();
                }
                log.info("{}: applied schema version {}", description, v);
            }
            return null;
        });
    }

    /** Databases made before checksums were recorded get the column (their rows are filled in by {@link #verifyApplied}). */
    private void ensureChecksumColumn(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRES) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE schema_version ADD COLUMN IF NOT EXISTS checksum TEXT");
            }
            return;
        }
        boolean present = false;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(schema_version)")) {
            while (rs.next()) {
                present |= "checksum".equalsIgnoreCase(rs.getString("name"));
            }
        }
        if (!present) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE schema_version ADD COLUMN checksum TEXT");
            }
        }
    }

    /**
     * Every applied migration must still be the script that was applied: an edited one would
     * leave databases that ran the old text and ones that run the new text different. A row from
     * before checksums were kept takes the current script's checksum once.
     */
    private void verifyApplied(Connection c, List<String> scripts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, checksum FROM schema_version ORDER BY version");
             ResultSet rs = ps.executeQuery()) {
            List<Integer> unrecorded = new ArrayList<>();
            while (rs.next()) {
                int v = rs.getInt(1);
                String recorded = rs.getString(2);
                String now = checksum(scripts.get(v - 1));
                if (recorded == null) {
                    unrecorded.add(v);
                } else if (!recorded.equals(now)) {
                    throw new StoreException(description + ": migration V" + v + " was edited after it was applied (checksum "
                            + recorded.substring(0, 12) + " recorded, " + now.substring(0, 12) + " now); restore it and put the change "
                            + "in a new version");
                }
            }
            for (int v : unrecorded) {
                try (PreparedStatement up = c.prepareStatement("UPDATE schema_version SET checksum = ? WHERE version = ?")) {
                    up.setString(1, checksum(scripts.get(v - 1)));
                    up.setInt(2, v);
                    up.executeUpdate();
                }
            }
        }
    }

    /** SHA-256 of a script, line endings normalised. */
    static String checksum(String script) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(script.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** Splits a script on semicolons at line ends, dropping comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String stmt = cur.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + name, e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return Objects.requireNonNullElse(r.getMessage(), r.toString());
    }

    @Override
    public void close() {
        pool.close();
    }
}
