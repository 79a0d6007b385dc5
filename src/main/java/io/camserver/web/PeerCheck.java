package io.camserver.web;

import io.camserver.replicas.PeerToken;
import io.camserver.replicas.RemoteCameras;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Scale-out: whether a request comes from another replica. Both must hold: its
 * {@value RemoteCameras#PEER_HEADER} is a valid {@link PeerToken} for this very request (made with
 * the shared {@code replicas.secret}, good for a minute), and it was sent from the address of a
 * live replica (as the replicas advertise themselves in the database), so a token seen on the way
 * cannot be used from anywhere else even within its minute. One check, for the login rule and the
 * host rule alike.
 */
public final class PeerCheck {
    private final Optional<byte[]> secret;
    private final Predicate<InetAddress> replicaAddress;

    /** A single server: no request is a peer's. */
    public static PeerCheck none() {
        return new PeerCheck(Optional.empty(), a -> false);
    }

    /**
     * @param secret         replicas.secret
     * @param replicaAddress whether an address is a live replica's
     */
    public PeerCheck(Optional<String> secret, Predicate<InetAddress> replicaAddress) {
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.replicaAddress = Objects.requireNonNull(replicaAddress, "replicaAddress");
    }

    boolean accepts(Context ctx) {
        String token = ctx.header(RemoteCameras.PEER_HEADER);
        if (token == null || secret.isEmpty()
                || !PeerToken.verify(secret.get(), token, ctx.method().name(), RequestGuard.target(ctx), System.currentTimeMillis() / 1000)) {
            return false;
        }
        try {
            // The TCP peer, never a forwarded header: replicas reach each other directly.
            return replicaAddress.test(InetAddress.getByName(ctx.req().getRemoteAddr()));
        } catch (UnknownHostException e) {
            return false; // an address literal always parses; anything else is no replica
        }
    }
}
