package io.camserver.replicas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A peer's token opens one method and path for a minute, and gives the secret away to nobody who sees it. */
class PeerTokenTest {
    private static final byte[] SECRET = "peer-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_800_000_000L;

    @Test
    void aTokenOpensItsRequestOnlyAndOnlyForAMinute() {
        String t = PeerToken.sign(SECRET, "GET", "/api/cameras?scope=local", NOW);
        assertTrue(PeerToken.verify(SECRET, t, "GET", "/api/cameras?scope=local", NOW + 30));
        assertFalse(PeerToken.verify(SECRET, t, "GET", "/api/cameras", NOW), "another target");
        assertFalse(PeerToken.verify(SECRET, t, "DELETE", "/api/cameras?scope=local", NOW), "another method");
        assertFalse(PeerToken.verify(SECRET, t, "GET", "/api/cameras?scope=local", NOW + 61), "replayed after the window");
        assertFalse(PeerToken.verify("another-secret-000000".getBytes(StandardCharsets.UTF_8), t, "GET", "/api/cameras?scope=local", NOW));
        assertFalse(PeerToken.verify(SECRET, new String(SECRET, StandardCharsets.UTF_8), "GET", "/api/cameras?scope=local", NOW),
                "the secret itself is no token");
        assertFalse(PeerToken.verify(SECRET, null, "GET", "/x", NOW));
        assertFalse(t.contains("peer-secret"), t);
    }
}
