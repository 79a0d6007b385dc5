package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.store.Database;
import io.camserver.store.SessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle on a real (SQLite) database: the growing wait, its bound however many
 * addresses fail, pruning of addresses that stopped, and one count for two servers sharing the
 * database (replicas).
 */
class LoginThrottleTest {
    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes(@TempDir Path tmp) {
        try (Database db = Database.sqlite(tmp)) {
            LoginThrottle t = new LoginThrottle(new SessionStore(db), 16);
            long now = 1_000_000;
            for (int i = 0; i < 4; i++) {
                t.failed("10.0.0.1", now);
                assertTrue(t.blocked("10.0.0.1", now).isEmpty(), "failure " + (i + 1) + " is free");
            }
            t.failed("10.0.0.1", now);
            assertEquals(1000, t.blocked("10.0.0.1", now).getAsLong());
            t.failed("10.0.0.1", now + 1000);
            assertEquals(2000, t.blocked("10.0.0.1", now + 1000).getAsLong());
            for (int i = 0; i < 30; i++) {
                t.failed("10.0.0.1", now);
            }
            assertEquals(300_000, t.blocked("10.0.0.1", now).getAsLong());
            t.succeeded("10.0.0.1");
            assertTrue(t.blocked("10.0.0.1", now).isEmpty());
        }
    }

    @Test
    void aGuestRotatingAddressesCannotGrowItsMemory(@TempDir Path tmp) {
        try (Database db = Database.sqlite(tmp)) {
            LoginThrottle t = new LoginThrottle(new SessionStore(db), 64);
            long now = 5_000_000;
            for (int i = 0; i < 1000; i++) {
                t.failed("10.1." + (i / 250) + "." + (i % 250), now + i * 20L); // 50 a second for 20 s; a prune every 10 s
            }
            assertTrue(t.size() <= 64 + 500, "bounded by the cap plus what came since the last prune: " + t.size());
            new SessionStore(db).prune(now + 20_000, LoginThrottle.FORGET_MS, 64);
            assertEquals(64, t.size(), "the least recently failing addresses are forgotten first");
        }
    }

    @Test
    void addressesThatStoppedFailingArePrunedButBlockedOnesAreKept(@TempDir Path tmp) {
        try (Database db = Database.sqlite(tmp)) {
            SessionStore store = new SessionStore(db);
            LoginThrottle t = new LoginThrottle(store, 1000);
            long now = 10_000_000;
            t.failed("10.0.0.1", now);
            for (int i = 0; i < 20; i++) {
                t.failed("10.0.0.2", now + LoginThrottle.FORGET_MS); // blocked for 5 minutes from then
            }
            assertEquals(2, t.size());
            store.prune(now + LoginThrottle.FORGET_MS + 60_000, LoginThrottle.FORGET_MS, 1000);
            assertEquals(1, t.size(), "the quiet address was forgotten, the blocked one kept");
            assertTrue(t.blocked("10.0.0.2", now + LoginThrottle.FORGET_MS + 60_000).isPresent());
        }
    }

    @Test
    void twoServersSharingTheDatabaseCountTogether(@TempDir Path tmp) {
        try (Database db = Database.sqlite(tmp)) {
            LoginThrottle a = new LoginThrottle(new SessionStore(db), 100);
            LoginThrottle b = new LoginThrottle(new SessionStore(db), 100);
            long now = 1_000_000;
            for (int i = 0; i < 3; i++) {
                a.failed("10.0.0.9", now);
                b.failed("10.0.0.9", now);
            }
            assertTrue(a.blocked("10.0.0.9", now).isPresent() && b.blocked("10.0.0.9", now).isPresent(),
                    "six failures split over two replicas block on both");
        }
    }
}
