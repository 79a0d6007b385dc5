package io.camserver.web;

import io.camserver.store.SessionStore;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Slows password guessing per client address: five wrong passwords are free, then each attempt
 * waits 1 s, doubling to 5 minutes. The counts live in the database ({@link SessionStore}), so
 * replicas sharing it throttle together. Its size is bounded: failures that stopped long ago are
 * forgotten, and at most {@code maxAddresses} are kept (the least recently failing go first),
 * so a guest rotating through addresses cannot grow it without end.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    private static final long MAX_DELAY_MS = Duration.ofMinutes(5).toMillis();
    /** Failures this old (and no longer blocking) are forgotten. */
    static final long FORGET_MS = Duration.ofMinutes(15).toMillis();
    private static final long PRUNE_EVERY_MS = 10_000;
    private static final int STRIPES = 64;

    private final SessionStore store;
    private final int maxAddresses;
    /**
     * One address's attempts run one at a time on a replica (parallel guesses cannot all slip in
     * before the first failure counts); a fixed set of locks, so nothing grows per address.
     */
    private final Object[] stripes = new Object[STRIPES];
    private volatile long lastPrune;

    LoginThrottle(SessionStore store, int maxAddresses) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be >= 1 (was " + maxAddresses + ")");
        }
        this.maxAddresses = maxAddresses;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    Object lockFor(String address) {
        return stripes[Math.floorMod(address.hashCode(), STRIPES)];
    }

    /** Milliseconds before {@code address} may try again; empty if it may try now. Hold its lock. */
    OptionalLong blocked(String address, long now) {
        return store.failures(address).filter(f -> f.blockedUntil() > now).map(f -> OptionalLong.of(f.blockedUntil() - now))
                .orElse(OptionalLong.empty());
    }

    /** Records a wrong password. Hold the address's lock. */
    void failed(String address, long now) {
        store.recordFailure(address, now, count -> count < FREE_FAILURES ? 0
                : now + Math.min(MAX_DELAY_MS, 1000L << Math.min(20, count - FREE_FAILURES)));
        if (now - lastPrune >= PRUNE_EVERY_MS) {
            lastPrune = now;
            store.prune(now, FORGET_MS, maxAddresses);
        }
    }

    /** Records a right password: the address starts afresh. Hold its lock. */
    void succeeded(String address) {
        store.clearFailures(address);
    }

    int size() {
        return store.failureCount();
    }
}
