package io.camserver.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational store: an embedded SQLite file in the data directory by default (WAL mode:
 * readers never wait for the writer), or PostgreSQL when a JDBC URL is configured, so several
 * camserver replicas can share one gallery. Owns its connection pool; close it on shutdown.
 *
 * <p>Schema changes are versioned SQL scripts, {@code db/migration/<dialect>/V<n>__<what>.sql},
 * applied in order exactly once by Flyway and recorded in {@code flyway_schema_history} (on
 * PostgreSQL under a lock, so replicas starting together migrate once); an applied script that
 * was edited, or a database newer than this build, is refused rather than guessed at.
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
        // A transaction that reads and then writes (most of ours) takes the write lock when it
        // begins: begun deferred, it would fail at once with SQLITE_BUSY when another connection
        // wrote meanwhile (busy_timeout cannot help an upgrade); begun immediate, it waits its turn.
        c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
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

    /** The table where schema versions were recorded before Flyway (versions 1 to 9). */
    private static final String LEGACY_TABLE = "schema_version";

    /**
     * Brings the schema to this build's version with Flyway. A database made before Flyway
     * (its versions in {@code schema_version}) is taken over at the version it reached: Flyway
     * records that as its baseline and applies only what came after; the old table then goes, so
     * a camserver from before cannot mistake the schema for one it knows.
     */
    private void migrate() {
        String dir = dialect == Dialect.SQLITE ? "sqlite" : "postgres";
        int legacy = legacyVersion();
        FluentConfiguration cfg = Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                // What both dialects share, and what only this one needs (versions never repeat across the two).
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dir)
                .table("flyway_schema_history")
                .loggers("slf4j");
        if (legacy > 0) {
            cfg.baselineOnMigrate(true).baselineVersion(String.valueOf(legacy))
                    .baselineDescription("taken over from schema_version " + legacy);
        }
        Flyway flyway = cfg.load();
        MigrationVersion latest = Arrays.stream(flyway.info().all()).filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS
                        && m.getState() != MigrationState.FUTURE_FAILED && m.getVersion() != null)
                .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
        MigrationVersion newest = Arrays.stream(flyway.info().applied()).map(MigrationInfo::getVersion).filter(java.util.Objects::nonNull)
                .max(MigrationVersion::compareTo).orElse(MigrationVersion.fromVersion(String.valueOf(legacy)));
        if (newest.isNewerThan(latest.getVersion())) {
            throw new StoreException(description + " has schema version " + newest + ", newer than this camserver (" + latest
                    + "); upgrade camserver instead of downgrading the database");
        }
        try {
            MigrateResult r = flyway.migrate();
            r.migrations.forEach(m -> log.info("{}: applied schema version {} ({})", description, m.version, m.description));
        } catch (FlywayValidateException e) {
            throw new StoreException(description + ": " + edited(e.getMessage()), e);
        } catch (FlywayException e) {
            throw new StoreException(description + ": schema migration failed: " + rootMessage(e), e);
        }
        if (legacy > 0) {
            transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE " + LEGACY_TABLE);
                }
                return null;
            });
            log.info("{}: schema versions now kept by Flyway (from version {})", description, legacy);
        }
    }

    /** The version a pre-Flyway database reached, or 0 when there is none (a new database, or one Flyway keeps). */
    private int legacyVersion() {
        return transaction(c -> {
            if (!tableExists(c, LEGACY_TABLE) || tableExists(c, "flyway_schema_history")) {
                return 0;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    /** Flyway's checksum mismatch in our words: which version, and what to do about it. */
    private static String edited(String flywayMessage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("checksum mismatch for migration version (\\S+)").matcher(flywayMessage);
        String version = m.find() ? m.group(1) : "?";
        return "migration V" + version + " was edited after it was applied; restore it and put the change in a new version ("
                + flywayMessage.strip().replaceAll("\\s+", " ") + ")";
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
