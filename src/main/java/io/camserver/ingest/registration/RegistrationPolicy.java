package io.camserver.ingest.registration;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may register as a camera. The demo server connected to whatever address it was told (an
 * SSRF hole: {@code ip=169.254.169.254} made it fetch cloud metadata, and any LAN guest could
 * re-point a real camera to a wrong token). Here a registration must come from the address it
 * names: a camera registers itself, never another machine. The address must also be an IP
 * literal inside the configured camera networks, the token must look like a token, the number
 * of cameras is capped in total and per source address, and a shared key can be required.
 *
 * @param networks       where cameras may live; default: private ranges and loopback. Link-local
 *                       (169.254/16, fe80::/10) is deliberately not in the default: cloud metadata
 *                       services live there.
 * @param maxCameras     most cameras at once (registered plus static)
 * @param key            optional shared registration key ({@code &key=}); empty = not required
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed (the router or ingress
 *                       that forwards camera registrations); empty: the TCP peer is the source
 * @param maxPerAddress  most registered cameras from one source address (a camera may serve on
 *                       several ports; a LAN guest cannot fill {@code maxCameras})
 * @param expireAfter    a registered camera that is not streaming and has neither registered nor
 *                       sent a frame for this long is forgotten
 */
public record RegistrationPolicy(List<Cidr> networks, int maxCameras, Optional<String> key, List<Cidr> trustedProxies,
                                 int maxPerAddress, Duration expireAfter) {
    public static final List<String> DEFAULT_NETWORKS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "127.0.0.0/8", "::1/128", "fc00::/7");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public RegistrationPolicy {
        networks = List.copyOf(networks);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expireAfter, "expireAfter");
        if (maxCameras < 1 || maxCameras > 1024) {
            throw new IllegalArgumentException("registration.maxCameras must be in 1..1024 (was " + maxCameras + ")");
        }
        if (maxPerAddress < 1 || maxPerAddress > maxCameras) {
            throw new IllegalArgumentException("registration.maxPerAddress must be in 1..registration.maxCameras (" + maxCameras
                    + ") (was " + maxPerAddress + ")");
        }
        if (expireAfter.toMillis() < 1000) {
            throw new IllegalArgumentException("registration.expireAfter must be at least 1s (was " + expireAfter.toMillis() + "ms)");
        }
        if (key.isPresent() && key.get().length() < 8) {
            throw new IllegalArgumentException("registration.key must be at least 8 characters when set (was " + key.get().length() + ")");
        }
    }

    public static RegistrationPolicy defaults() {
        return new RegistrationPolicy(DEFAULT_NETWORKS.stream().map(Cidr::parse).toList(), 32, Optional.empty(), List.of(), 4,
                Duration.ofMinutes(2));
    }

    /** Why a registration was refused: the HTTP status and a reason for the response body. */
    public record Refusal(int status, String reason) {
    }

    /** The address a request really comes from ({@link ClientAddress}); empty when a trusted proxy forwards a hop that is not an IP. */
    public Optional<InetAddress> sourceOf(InetAddress peer, List<String> forwardedFor) {
        return ClientAddress.of(trustedProxies, peer, forwardedFor);
    }

    /**
     * Checks everything but the camera counts; returns the parsed address or a refusal.
     *
     * @param source where the request came from ({@link #sourceOf}); the camera's address must be it
     */
    public Result check(String ip, String token, String givenKey, InetAddress source) {
        if (ip == null || ip.isBlank()) {
            return refused(400, "missing parameter: ip");
        }
        if (token == null || token.isEmpty()) {
            return refused(400, "missing parameter: token");
        }
        if (ip.length() > 64) {
            return refused(400, "ip must be an IPv4 or IPv6 address with an optional :port (got " + ip.length() + " characters)");
        }
        Optional<IpLiteral.HostPort> hp = IpLiteral.parseHostPort(ip);
        if (hp.isEmpty()) {
            return refused(400, "ip must be an IPv4 or IPv6 address with an optional :port (got '" + sanitize(ip) + "')");
        }
        if (!TOKEN.matcher(token).matches()) {
            return refused(400, "token must be 1-64 characters of A-Z a-z 0-9 _ - (got "
                    + (token.length() > 64 ? token.length() + " characters" : "'" + sanitize(token) + "'") + ")");
        }
        if (key.isPresent()) {
            byte[] want = key.get().getBytes(StandardCharsets.UTF_8);
            byte[] got = givenKey == null ? new byte[0] : givenKey.getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(want, got)) {
                return refused(401, givenKey == null ? "registration key required (parameter key)" : "wrong registration key");
            }
        }
        InetAddress a = hp.get().address();
        if (networks.stream().noneMatch(n -> n.contains(a))) {
            return refused(403, "ip " + a.getHostAddress() + " is outside the camera networks " + networks);
        }
        if (!a.equals(source)) {
            return refused(403, "ip " + a.getHostAddress() + " is not the address this request came from (" + source.getHostAddress()
                    + "): a camera registers its own address");
        }
        return new Result(hp.get(), null);
    }

    private static Result refused(int status, String reason) {
        return new Result(null, new Refusal(status, reason));
    }

    /** Either an accepted address or a refusal. */
    public record Result(IpLiteral.HostPort address, Refusal refusal) {
        public boolean ok() {
            return refusal == null;
        }
    }

    private static String sanitize(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
