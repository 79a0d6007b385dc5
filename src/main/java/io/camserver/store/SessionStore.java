package io.camserver.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser sessions and login failures, in the database so that every replica sharing it agrees:
 * a login made through one replica is accepted by all, a logout ends it everywhere, and wrong
 * passwords are counted across replicas. A session is kept by the SHA-256 of its id, never the
 * id itself: a copy of the database opens no session.
 */
public final class SessionStore {
    private final Database db;

    public SessionStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** A live session. */
    public record Session(String csrf, long expiresAt) {
    }

    /** An address's failed logins. */
    public record Failures(int count, long blockedUntil, long lastFailure) {
    }

    public void create(String idHash, String csrf, long expiresAt) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (id_hash, csrf, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, idHash);
                ps.setString(2, csrf);
                ps.setLong(3, expiresAt);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The session, unless it is unknown or expired at {@code now}. */
    public Optional<Session> find(String idHash, long now) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT csrf, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?")) {
                ps.setString(1, idHash);
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Session(rs.getString(1), rs.getLong(2))) : Optional.<Session>empty();
                }
            }
        });
    }

    /** The admin password's verifier as the last start stored it, if any. */
    public Optional<String> adminVerifier() {
        return db.transaction(c -> {
            try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT verifier FROM admin_verifier WHERE id = 1")) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** Keeps the admin password's verifier for the next start (and the other replicas). */
    public void saveAdminVerifier(String verifier, long now) {
        db.transaction(c -> {
            int n;
            try (PreparedStatement up = c.prepareStatement("UPDATE admin_verifier SET verifier = ?, changed_at = ? WHERE id = 1")) {
                up.setString(1, verifier);
                up.setLong(2, now);
                n = up.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement in = c.prepareStatement("INSERT INTO admin_verifier (id, verifier, changed_at) VALUES (1, ?, ?)")) {
                    in.setString(1, verifier);
                    in.setLong(2, now);
                    in.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Ends every session, on every replica (they share the table); returns how many there were. */
    public int deleteAll() {
        return db.transaction(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                return st.executeUpdate("DELETE FROM sessions");
            }
        });
    }

    public boolean delete(String idHash) {
        return db.transaction(c -> PeopleStore.exec(c, "DELETE FROM sessions WHERE id_hash = ?", idHash) > 0);
    }

    public Optional<Failures> failures(String address) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT failures, blocked_until, last_failure FROM login_failures WHERE address = ?")) {
                ps.setString(1, address);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Failures(rs.getInt(1), rs.getLong(2), rs.getLong(3))) : Optional.<Failures>empty();
                }
            }
        });
    }

    /**
     * Counts one more failure for {@code address} (atomically, whichever replica counts it) and
     * stores when it may try again, from the new count. Returns the new record.
     */
    public Failures recordFailure(String address, long now, java.util.function.IntToLongFunction blockedUntil) {
        return db.transaction(c -> {
            int count;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO login_failures (address, failures, blocked_until, last_failure) VALUES (?, 1, 0, ?)
                    ON CONFLICT (address) DO UPDATE SET failures = login_failures.failures + 1, last_failure = excluded.last_failure
                    RETURNING failures""")) {
                ps.setString(1, address);
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getInt(1);
                }
            }
            long until = blockedUntil.applyAsLong(count);
            try (PreparedStatement ps = c.prepareStatement("UPDATE login_failures SET blocked_until = ? WHERE address = ?")) {
                ps.setLong(1, until);
                ps.setString(2, address);
                ps.executeUpdate();
            }
            return new Failures(count, until, now);
        });
    }

    public void clearFailures(String address) {
        db.transaction(c -> PeopleStore.exec(c, "DELETE FROM login_failures WHERE address = ?", address));
    }

    /**
     * Forgets expired sessions, and failures that stopped long ago and no longer block; then, if
     * more than {@code maxAddresses} remain, the least recently failing. Returns the rows removed.
     */
    public int prune(long now, long forgetFailuresAfterMs, int maxAddresses) {
        return db.transaction(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
                ps.setLong(1, now);
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_failures WHERE blocked_until <= ? AND last_failure < ?")) {
                ps.setLong(1, now);
                ps.setLong(2, now - forgetFailuresAfterMs);
                n += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM login_failures WHERE address IN (
                      SELECT address FROM login_failures ORDER BY last_failure DESC LIMIT -1 OFFSET ?)""".replace("LIMIT -1 OFFSET ?",
                    db.dialect() == Database.Dialect.POSTGRES ? "OFFSET ?" : "LIMIT -1 OFFSET ?"))) {
                ps.setInt(1, maxAddresses);
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    public int failureCount() {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM login_failures"); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }
}
