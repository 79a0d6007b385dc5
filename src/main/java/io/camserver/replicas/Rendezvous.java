package io.camserver.replicas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Rendezvous (highest-random-weight) hashing: a camera belongs to the member with the highest
 * hash of (member, camera). Every replica computes the same answer from the same member list, no
 * coordination needed; when a member joins or leaves, only the cameras it wins or held move.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    public static Optional<String> owner(String key, List<String> members) {
        String best = null;
        long bestWeight = Long.MIN_VALUE;
        for (String m : members) {
            long w = weight(m, key);
            if (best == null || w > bestWeight || (w == bestWeight && m.compareTo(best) < 0)) {
                best = m;
                bestWeight = w;
            }
        }
        return Optional.ofNullable(best);
    }

    static long weight(String member, String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((member + "\u0000" + key).getBytes(StandardCharsets.UTF_8));
            long w = 0;
            for (int i = 0; i < 8; i++) {
                w = (w << 8) | (d[i] & 0xff);
            }
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
