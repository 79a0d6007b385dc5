package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The login throttle's memory: bounded however many addresses fail, and pruned when they stop. */
class LoginThrottleTest {
    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes() {
        LoginThrottle t = new LoginThrottle(16);
        long now = 1_000_000;
        LoginThrottle.Entry e = t.entry("10.0.0.1", now);
        for (int i = 0; i < 4; i++) {
            LoginThrottle.failed(e, now);
            assertTrue(LoginThrottle.blocked(e, now).isEmpty(), "failure " + (i + 1) + " is free");
        }
        LoginThrottle.failed(e, now);
        assertEquals(1000, LoginThrottle.blocked(e, now).getAsLong());
        LoginThrottle.failed(e, now + 1000);
        assertEquals(2000, LoginThrottle.blocked(e, now + 1000).getAsLong());
        for (int i = 0; i < 30; i++) {
            LoginThrottle.failed(e, now);
        }
        assertEquals(300_000, LoginThrottle.blocked(e, now).getAsLong());
        LoginThrottle.succeeded(e);
        assertTrue(LoginThrottle.blocked(e, now).isEmpty());
    }

    @Test
    void aGuestRotatingAddressesCannotGrowItsMemory() {
        LoginThrottle t = new LoginThrottle(64);
        long now = 5_000_000;
        for (int i = 0; i < 10_000; i++) {
            LoginThrottle.Entry e = t.entry("10.1." + (i / 250) + "." + (i % 250), now);
            synchronized (e) {
                LoginThrottle.failed(e, now);
            }
        }
        assertEquals(64, t.size(), "bounded: the least recently seen addresses are forgotten first");
    }

    @Test
    void addressesThatStoppedFailingArePrunedButBlockedOnesAreKept() {
        LoginThrottle t = new LoginThrottle(1000);
        long now = 10_000_000;
        LoginThrottle.Entry quiet = t.entry("10.0.0.1", now);
        LoginThrottle.failed(quiet, now);
        LoginThrottle.Entry blocked = t.entry("10.0.0.2", now);
        for (int i = 0; i < 20; i++) {
            LoginThrottle.failed(blocked, now + LoginThrottle.FORGET_MS); // blocked for 5 minutes from then
        }
        assertEquals(2, t.size());
        t.entry("10.0.0.3", now + LoginThrottle.FORGET_MS + 60_000);
        assertEquals(2, t.size(), "the quiet address was forgotten, the blocked one kept, the new one added");
        assertTrue(LoginThrottle.blocked(t.entry("10.0.0.2", now + LoginThrottle.FORGET_MS + 60_000),
                now + LoginThrottle.FORGET_MS + 60_000).isPresent());
    }
}
