package io.camserver.ingest;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may register as a camera. The demo server connected to whatever address it was told (an
 * SSRF hole: {@code ip=169.254.169.254} made it fetch cloud metadata); here the address must be
 * an IP literal inside the configured camera networks, the token must look like a token, the
 * number of cameras is capped, and a shared key can be required.
 *
 * @param networks   where cameras may live; default: private ranges and loopback. Link-local
 *                   (169.254/16, fe80::/10) is deliberately not in the default: cloud metadata
 *                   services live there.
 * @param maxCameras most cameras at once (registered plus static)
 * @param key        optional shared registration key ({@code &key=}); empty = not required
 */
public record RegistrationPolicy(List<Cidr> networks, int maxCameras, Optional<String> key) {
    public static final List<String> DEFAULT_NETWORKS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "127.0.0.0/8", "::1/128", "fc00::/7");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public RegistrationPolicy {
        networks = List.copyOf(networks);
        Objects.requireNonNull(key, "key");
        if (maxCameras < 1 || maxCameras > 1024) {
            throw new IllegalArgumentException("registration.maxCameras must be in 1..1024 (was " + maxCameras + ")");
        }
        if (key.isPresent() && key.get().length() < 8) {
            throw new IllegalArgumentException("registration.key must be at least 8 characters when set (was " + key.get().length() + ")");
        }
    }

    public static RegistrationPolicy defaults() {
        return new RegistrationPolicy(DEFAULT_NETWORKS.stream().map(Cidr::parse).toList(), 32, Optional.empty());
    }

    /** Why a registration was refused: the HTTP status and a reason for the response body. */
    public record Refusal(int status, String reason) {
    }

    /** Checks everything but the camera count; returns the parsed address or a refusal. */
    public Result check(String ip, String token, String givenKey) {
        if (ip == null || ip.isBlank()) {
            return new Result(null, new Refusal(400, "missing parameter: ip"));
        }
        if (token == null || token.isEmpty()) {
            return new Result(null, new Refusal(400, "missing parameter: token"));
        }
        if (ip.length() > 64) {
            return new Result(null, new Refusal(400, "ip must be an IPv4 or IPv6 address with an optional :port (got " + ip.length()
                    + " characters)"));
        }
        Optional<IpLiteral.HostPort> hp = IpLiteral.parseHostPort(ip);
        if (hp.isEmpty()) {
            return new Result(null, new Refusal(400, "ip must be an IPv4 or IPv6 address with an optional :port (got '"
                    + sanitize(ip) + "')"));
        }
        if (!TOKEN.matcher(token).matches()) {
            return new Result(null, new Refusal(400, "token must be 1-64 characters of A-Z a-z 0-9 _ - (got "
                    + (token.length() > 64 ? token.length() + " characters" : "'" + sanitize(token) + "'") + ")"));
        }
        if (key.isPresent()) {
            byte[] want = key.get().getBytes(StandardCharsets.UTF_8);
            byte[] got = givenKey == null ? new byte[0] : givenKey.getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(want, got)) {
                return new Result(null, new Refusal(401, givenKey == null ? "registration key required (parameter key)"
                        : "wrong registration key"));
            }
        }
        InetAddress a = hp.get().address();
        if (networks.stream().noneMatch(n -> n.contains(a))) {
            return new Result(null, new Refusal(403, "ip " + a.getHostAddress() + " is outside the camera networks " + networks));
        }
        return new Result(hp.get(), null);
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
