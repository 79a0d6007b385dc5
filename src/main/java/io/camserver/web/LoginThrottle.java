package io.camserver.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Slows password guessing per client address: five wrong passwords are free, then each attempt
 * waits 1 s, doubling to 5 minutes. Its memory is bounded: at most {@code maxTracked} addresses
 * (the least recently seen are forgotten first), and an address that stopped failing long ago is
 * pruned, so a guest rotating through addresses cannot grow it without end.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    private static final long MAX_DELAY_MS = Duration.ofMinutes(5).toMillis();
    /** Failures this old (and no longer blocking) are forgotten. */
    static final long FORGET_MS = Duration.ofMinutes(15).toMillis();
    private static final long PRUNE_EVERY_MS = 10_000;

    /** One address's record; also the lock that makes that address's attempts one at a time. */
    static final class Entry {
        private int count;
        private long blockedUntil;
        private long lastFailure;
    }

    private final int maxTracked;
    /** Access-ordered, so the eldest entry is the least recently used. Guarded by itself. */
    private final LinkedHashMap<String, Entry> entries;
    private long lastPrune;

    LoginThrottle(int maxTracked) {
        if (maxTracked < 1) {
            throw new IllegalArgumentException("maxTracked must be >= 1 (was " + maxTracked + ")");
        }
        this.maxTracked = maxTracked;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LoginThrottle.Entry> eldest) {
                return size() > LoginThrottle.this.maxTracked;
            }
        };
    }

    /** The address's record, created if new. Callers hold it (synchronized) across check and outcome. */
    Entry entry(String address, long now) {
        synchronized (entries) {
            if (now - lastPrune >= PRUNE_EVERY_MS) {
                lastPrune = now;
                entries.values().removeIf(e -> forgettable(e, now));
            }
            return entries.computeIfAbsent(address, k -> new Entry());
        }
    }

    private static boolean forgettable(Entry e, long now) {
        synchronized (e) {
            return e.blockedUntil <= now && now - e.lastFailure > FORGET_MS;
        }
    }

    /** Milliseconds still to wait before this address may try again; empty if it may try now. Hold the entry. */
    static OptionalLong blocked(Entry e, long now) {
        return e.blockedUntil > now ? OptionalLong.of(e.blockedUntil - now) : OptionalLong.empty();
    }

    /** Records a wrong password. Hold the entry. */
    static void failed(Entry e, long now) {
        e.count++;
        e.lastFailure = now;
        if (e.count >= FREE_FAILURES) {
            e.blockedUntil = now + Math.min(MAX_DELAY_MS, 1000L << Math.min(20, e.count - FREE_FAILURES));
        }
    }

    /** Records a right password: the address starts afresh. Hold the entry. */
    static void succeeded(Entry e) {
        e.count = 0;
        e.blockedUntil = 0;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
