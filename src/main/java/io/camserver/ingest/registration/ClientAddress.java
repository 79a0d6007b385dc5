package io.camserver.ingest.registration;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address a request really comes from, one rule for the whole server (registration and the
 * login throttle): the TCP peer, unless the peer is a trusted proxy ({@code server.trustedProxies}:
 * the router or the ingress); then the right-most {@code X-Forwarded-For} hop that is not itself a
 * trusted proxy. The left-most hops are whatever the client chose to write, so they are never believed.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** Empty when a trusted proxy forwards a hop that is not an IP literal. */
    public static Optional<InetAddress> of(List<Cidr> trustedProxies, InetAddress peer, List<String> forwardedFor) {
        if (trustedProxies.stream().noneMatch(c -> c.contains(peer))) {
            return Optional.of(peer);
        }
        InetAddress hop = peer;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] parts = forwardedFor.get(h).split(",");
            for (int i = parts.length - 1; i >= 0; i--) {
                String p = parts[i].trim();
                if (p.isEmpty()) {
                    continue;
                }
                Optional<InetAddress> a = IpLiteral.parseHostPort(p).map(IpLiteral.HostPort::address);
                if (a.isEmpty()) {
                    return Optional.empty();
                }
                hop = a.get();
                if (trustedProxies.stream().noneMatch(c -> c.contains(a.get()))) {
                    return a;
                }
            }
        }
        return Optional.of(hop); // every hop was a proxy of ours: the request started inside
    }
}
