package io.camserver.store;

/** The database failed or refused; the message names the database and what went wrong. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database could not take the work now (down, restarting, failing over, out of
     * disk, a connection cut) rather than refusing this data (a constraint, a bad value): work that
     * failed this way is worth keeping and trying again. Only a refusal the database names (SQL
     * states 22, 23, 42 and 44; SQLite's constraint, mismatch and too-big) counts as a refusal,
     * because drivers and pools report a lost connection in more ways than they document.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("22") || state.startsWith("23") || state.startsWith("42") || state.startsWith("44")) {
                    return false;
                }
                String m = String.valueOf(e.getMessage());
                if (m.contains("SQLITE_CONSTRAINT") || m.contains("SQLITE_MISMATCH") || m.contains("SQLITE_TOOBIG")) {
                    return false;
                }
            }
        }
        return getCause() != null; // a refusal of our own making (no SQL cause) is not an outage
    }
}
