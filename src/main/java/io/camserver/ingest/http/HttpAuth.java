package io.camserver.ingest.http;

import io.camserver.ingest.stream.StreamException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP authentication to cameras with credentials in their URL: Basic, and Digest as RFC 7616
 * defines it (MD5 and SHA-256, their -sess variants, qop=auth). Credentials are sent only in
 * answer to a challenge, never up front: a Digest camera must not receive the password in clear
 * because we guessed Basic. The chosen challenge is remembered per camera (host, port and user)
 * so later connections answer it straight away with the next nonce count; a stale or changed
 * nonce gets a fresh challenge and one retry.
 *
 * <p>An instance holds what one camera's connections remember (its owner keeps it across
 * reconnects and drops it with the camera); the arithmetic is static and pure.
 */
public final class HttpAuth {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    /** The strongest scheme each camera has ever asked for (kept through failures): never answered with less. */
    private final Map<String, Integer> strongest = new ConcurrentHashMap<>();

    /** One challenge from a WWW-Authenticate header. */
    record Challenge(String scheme, Map<String, String> params) {
        String param(String name) {
            return params.get(name);
        }

        String algorithm() {
            return params.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        }
    }

    private record Remembered(Challenge challenge, AtomicInteger nonceCount) {
    }

    /** Credentials from a URL's user info ({@code user:password}, percent-decoded). */
    public record Credentials(String user, String password) {
        public static Optional<Credentials> of(java.net.URI uri) {
            String raw = uri.getRawUserInfo();
            if (raw == null) {
                return Optional.empty();
            }
            String decoded = java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? new Credentials(decoded, "") : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return "Credentials[" + user + ", ***]";
        }
    }

    /** Whether Basic may be answered over plain http (the camera is configured {@code auth: basic}). */
    private final boolean basicOverHttp;

    /** Remembers nothing yet; one per camera; Basic only over https. */
    public HttpAuth() {
        this(false);
    }

    /** @param basicOverHttp also answer Basic over plain http (the password in clear), as the camera's {@code auth: basic} allows */
    public HttpAuth(boolean basicOverHttp) {
        this.basicOverHttp = basicOverHttp;
    }

    static String key(java.net.URI uri, Credentials c) {
        return uri.getHost() + ":" + uri.getPort() + "|" + c.user();
    }

    /** The Authorization value for a request to a camera whose challenge we already know, if any. */
    Optional<String> remembered(String key, Credentials c, String method, String target) {
        Remembered r = remembered.get(key);
        return r == null ? Optional.empty() : Optional.of(answer(r.challenge(), c, method, target, r.nonceCount().incrementAndGet()));
    }

    /**
     * Picks the strongest challenge we can answer (Digest SHA-256, then Digest MD5, then Basic),
     * remembers it and returns the Authorization value; empty when none is usable.
     */
    Optional<String> answer(String key, String wwwAuthenticate, Credentials c, String method, String target, boolean tls)
            throws StreamException {
        List<Challenge> all = parse(wwwAuthenticate);
        Challenge best = null;
        int bestRank = 0;
        for (Challenge ch : all) {
            int rank = rank(ch);
            if (rank > bestRank) {
                best = ch;
                bestRank = rank;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int before = strongest.getOrDefault(key, 0);
        if (bestRank == 1 && before > 1) {
            // A camera that spoke Digest and now offers only Basic: a device in the middle, or a
            // swapped one, fishing for the password in clear. It does not get it.
            throw new StreamException("camera asked for Basic after Digest: the password is not sent in clear");
        }
        if (bestRank == 1 && !tls && !basicOverHttp) {
            throw new StreamException("camera asks for Basic authentication over plain http, which would send the password in clear; "
                    + "use its https:// address, or set the camera's auth to basic to allow it");
        }
        strongest.merge(key, bestRank, Math::max);
        Remembered r = new Remembered(best, new AtomicInteger(1));
        remembered.put(key, r);
        return Optional.of(answer(best, c, method, target, 1));
    }

    void forget(String key) {
        remembered.remove(key);
    }

    /** The schemes offered, for a message when none can be answered. */
    static List<String> schemes(String wwwAuthenticate) {
        return parse(wwwAuthenticate).stream().map(Challenge::scheme).toList();
    }

    private static int rank(Challenge ch) {
        if (ch.scheme().equalsIgnoreCase("basic")) {
            return 1;
        }
        if (!ch.scheme().equalsIgnoreCase("digest") || ch.param("nonce") == null || ch.param("realm") == null) {
            return 0;
        }
        String qop = ch.params().getOrDefault("qop", "auth");
        if (!List.of(qop.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("auth")) {
            return 0; // auth-int only: we do not hash bodies
        }
        return switch (ch.algorithm()) {
            case "SHA-256", "SHA-256-SESS" -> 3;
            case "MD5", "MD5-SESS" -> 2;
            default -> 0;
        };
    }

    static String answer(Challenge ch, Credentials c, String method, String target, int nc) {
        if (ch.scheme().equalsIgnoreCase("basic")) {
            return "Basic " + Base64.getEncoder().encodeToString((c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
        }
        return digest(ch, c, method, target, nc, cnonce());
    }

    static String digest(Challenge ch, Credentials c, String method, String target, int nc, String cnonce) {
        String alg = ch.algorithm();
        String hashName = alg.startsWith("SHA-256") ? "SHA-256" : "MD5";
        String realm = ch.param("realm");
        String nonce = ch.param("nonce");
        boolean qop = ch.param("qop") != null;
        String ncHex = String.format("%08x", nc);
        String ha1 = h(hashName, c.user() + ":" + realm + ":" + c.password());
        if (alg.endsWith("-SESS")) {
            ha1 = h(hashName, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = h(hashName, method + ":" + target);
        String response = qop ? h(hashName, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2) : h(hashName, ha1 + ":" + nonce + ":" + ha2);
        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=\"").append(quote(c.user())).append("\", realm=\"").append(quote(realm)).append("\", nonce=\"").append(quote(nonce))
                .append("\", uri=\"").append(quote(target)).append("\", algorithm=").append(ch.params().getOrDefault("algorithm", "MD5"))
                .append(", response=\"").append(response).append('"');
        if (qop) {
            sb.append(", qop=auth, nc=").append(ncHex).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (ch.param("opaque") != null) {
            sb.append(", opaque=\"").append(quote(ch.param("opaque"))).append('"');
        }
        return sb.toString();
    }

    private static String cnonce() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String h(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /**
     * Parses one or more challenges (several WWW-Authenticate headers arrive joined by commas):
     * a scheme token starts a challenge, {@code name=value} or {@code name="quoted"} pairs follow.
     */
    static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int i = 0;
        int n = header.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (header.charAt(i) == ',' || Character.isWhitespace(header.charAt(i)))) {
                i++;
            }
            int start = i;
            while (i < n && isToken(header.charAt(i))) {
                i++;
            }
            if (i == start) {
                i++; // stray character
                continue;
            }
            String token = header.substring(start, i);
            int j = i;
            while (j < n && header.charAt(j) == ' ') {
                j++;
            }
            if (j < n && header.charAt(j) == '=') {
                i = j + 1;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                String value;
                if (i < n && header.charAt(i) == '"') {
                    StringBuilder v = new StringBuilder();
                    i++;
                    while (i < n && header.charAt(i) != '"') {
                        if (header.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        v.append(header.charAt(i++));
                    }
                    i++;
                    value = v.toString();
                } else {
                    int vs = i;
                    while (i < n && header.charAt(i) != ',') {
                        i++;
                    }
                    value = header.substring(vs, i).trim();
                }
                if (scheme != null) {
                    params.put(token.toLowerCase(Locale.ROOT), value);
                }
            } else {
                if (scheme != null) {
                    out.add(new Challenge(scheme, Map.copyOf(params)));
                }
                scheme = token;
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) {
            out.add(new Challenge(scheme, Map.copyOf(params)));
        }
        return out;
    }

    private static boolean isToken(char c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
    }
}
