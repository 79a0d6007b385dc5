package io.camserver.web;

import io.camserver.ingest.registration.Cidr;
import io.camserver.ingest.registration.ClientAddress;
import io.camserver.ingest.registration.IpLiteral;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;

import io.camserver.store.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may do what. Four levels: public (registration, probes, the login itself), live view
 * (the live pages, the camera list and the live events: only after login unless
 * {@code auth.liveView: open}), metrics (admin, or the bearer token of {@code metrics.tokenFile},
 * or anyone with {@code metrics.public: true}) and admin (everything that changes state, and
 * every face image).
 *
 * <p>Browsers log in once and get a session cookie (HttpOnly, SameSite=Strict, Secure behind
 * HTTPS) plus a CSRF token they must echo in {@code X-CSRF-Token} on every state-changing
 * request. API clients send HTTP Basic as {@code admin}. Whatever the credential, a
 * state-changing request whose {@code Origin} is another site is refused: a browser that has
 * cached Basic credentials would otherwise send them with a forged cross-site form. Repeated
 * wrong passwords from one address are answered with 429 for a growing time; that memory is
 * bounded (the oldest addresses are forgotten first) and pruned. A verified Basic credential is
 * remembered for a minute under an HMAC of it with a per-process key (never the password), so an
 * API client costs one PBKDF2 a minute, not one a request.
 */
public final class Auth {
    private final List<Cidr> trustedProxies;
    public static final String COOKIE = "camserver_session";
    private static final Duration SESSION_TTL = Duration.ofHours(12);
    /** Addresses whose failures are remembered at once; beyond it the least recent are forgotten. */
    static final int MAX_TRACKED = 4096;
    private static final long BASIC_CACHE_MS = Duration.ofMinutes(1).toMillis();
    private static final int BASIC_CACHE_MAX = 64;

    /** What a route needs, declared on the route itself ({@code r.get(path, handler, Level.LIVE)}). */
    public enum Level implements RouteRole { PUBLIC, LIVE, METRICS, ADMIN }

    private final AdminCredential admin;
    private final boolean liveViewOpen;
    private final boolean metricsPublic;
    private final Optional<byte[]> metricsToken;
    /** Scale-out: another replica relaying a camera or listing cameras (live view reads only). */
    private final PeerCheck peers;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    /** HMAC of a verified Basic password -> when that verification expires. */
    private final Map<String, Long> verifiedBasic = new ConcurrentHashMap<>();
    private final byte[] cacheKey = new byte[32];
    private final SecureRandom random = new SecureRandom();


    /**
     * @param sessions where sessions and login failures live: the database, shared by every
     *                 replica that shares it
     */
    /**
     * @param trustedProxies server.trustedProxies: behind them, the login throttle counts each
     *                       client's failures, not the proxy's (which would lock everyone out)
     */
    public Auth(AdminCredential admin, SessionStore sessions, boolean liveViewOpen, boolean metricsPublic, Optional<String> metricsToken,
                PeerCheck peers, List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.peers = Objects.requireNonNull(peers, "peers");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.throttle = new LoginThrottle(sessions, MAX_TRACKED);
        this.liveViewOpen = liveViewOpen;
        this.metricsPublic = metricsPublic;
        this.metricsToken = metricsToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        random.nextBytes(cacheKey);
    }

    /**
     * The level a matched route declares (each route names exactly one where it is installed; one
     * that named none would need the admin).
     */
    static Level required(java.util.Set<? extends RouteRole> roles) {
        return roles.stream().filter(Level.class::isInstance).map(Level.class::cast).findFirst().orElse(Level.ADMIN);
    }

    /** Runs before every matched request: throws 401/403/429 unless the request may proceed. */
    public void check(Context ctx) {
        String method = ctx.method().name();
        Level need = required(ctx.routeRoles());
        boolean changes = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (changes && crossSite(ctx)) {
            throw new HttpResponseException(403, "cross-site request refused (Origin " + ctx.header("Origin") + ")");
        }
        if (need == Level.PUBLIC || (need == Level.LIVE && liveViewOpen) || (need == Level.METRICS && metricsPublic)) {
            return;
        }
        if (need == Level.LIVE && peers.accepts(ctx)) {
            return;
        }
        if (need == Level.METRICS && metricsToken.isPresent() && bearer(ctx).isPresent()) {
            if (!MessageDigest.isEqual(metricsToken.get(), bearer(ctx).get().getBytes(StandardCharsets.UTF_8))) {
                throw new HttpResponseException(401, "wrong metrics token");
            }
            return;
        }
        Optional<String> basic = AdminCredential.basicPassword(ctx.header("Authorization"));
        if (basic.isPresent()) {
            if (!verifiedRecently(basic.get())) {
                if (!attempt(ctx, basic.get())) {
                    challenge(ctx, "wrong admin password");
                }
                rememberVerified(basic.get());
            }
            return;
        }
        SessionStore.Session s = session(ctx);
        if (s == null) {
            challenge(ctx, switch (need) {
                case LIVE -> "log in to watch (auth.liveView=login)";
                case METRICS -> "admin login or the metrics token required (metrics.tokenFile), or set metrics.public: true";
                default -> "admin login required";
            });
        }
        if (changes && !Objects.equals(ctx.header("X-CSRF-Token"), s.csrf())) {
            throw new HttpResponseException(403, "missing or wrong X-CSRF-Token for a state-changing request");
        }
    }

    private static void challenge(Context ctx, String why) {
        if (ctx.path().startsWith("/api/") || !"GET".equals(ctx.method().name())) {
            ctx.header("WWW-Authenticate", "Basic realm=\"camserver\", charset=\"UTF-8\"");
        }
        throw new HttpResponseException(401, why);
    }

    private static boolean crossSite(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equals("cross-site")) {
            return true;
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return false; // not sent by a browser (curl, API clients) or a same-origin GET-like form
        }
        if (origin.equals("null")) {
            return true; // sandboxed frames and some redirects: never a legitimate admin
        }
        String host = ctx.header("Host");
        String o = origin.replaceFirst("^https?://", "").toLowerCase(Locale.ROOT);
        return host == null || !o.equals(host.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(h.substring(7).trim());
    }

    private String basicKey(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    private boolean verifiedRecently(String password) {
        Long until = verifiedBasic.get(basicKey(password));
        return until != null && until > System.currentTimeMillis();
    }

    private void rememberVerified(String password) {
        long now = System.currentTimeMillis();
        if (verifiedBasic.size() >= BASIC_CACHE_MAX) {
            verifiedBasic.values().removeIf(until -> until <= now);
            if (verifiedBasic.size() >= BASIC_CACHE_MAX) {
                verifiedBasic.clear(); // only one password is right: a full cache is an oddity, not a need
            }
        }
        verifiedBasic.put(basicKey(password), now + BASIC_CACHE_MS);
    }

    /** Checks a password with the per-address throttle (shared by the replicas); true if right. */
    boolean attempt(Context ctx, String password) {
        String who = client(ctx);
        synchronized (throttle.lockFor(who)) {
            var wait = throttle.blocked(who, System.currentTimeMillis());
            if (wait.isPresent()) {
                long seconds = (wait.getAsLong() + 999) / 1000;
                ctx.header("Retry-After", String.valueOf(seconds));
                throw new HttpResponseException(429, "too many wrong passwords; try again in " + seconds + " s");
            }
            if (admin.matches(password)) {
                throttle.succeeded(who);
                return true;
            }
            throttle.failed(who, System.currentTimeMillis());
            return false;
        }
    }

    /** Who is trying: the client behind a trusted proxy, else the TCP peer. */
    private String client(Context ctx) {
        String peerText = ctx.req().getRemoteAddr().replace("[", "").replace("]", "");
        return IpLiteral.parseAddress(peerText)
                .flatMap(peer -> ClientAddress.of(trustedProxies, peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For"))))
                .map(InetAddress::getHostAddress).orElse(peerText);
    }

    /** Logs in; returns the CSRF token for the new session. */
    public String login(Context ctx, String password) {
        if (!attempt(ctx, password)) {
            throw new HttpResponseException(401, "wrong admin password");
        }
        String id = token(32);
        String csrf = token(24);
        sessions.create(idHash(id), csrf, System.currentTimeMillis() + SESSION_TTL.toMillis());
        boolean https = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equalsIgnoreCase(ctx.scheme());
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION_TTL.toSeconds()
                + (https ? "; Secure" : ""));
        return csrf;
    }

    /** Ends every session everywhere (a lost phone, a shared computer); the caller's too. */
    public int logoutEverywhere(Context ctx) {
        int n = sessions.deleteAll();
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return n;
    }

    public void logout(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null) {
            sessions.delete(idHash(id)); // in the database: ended on every replica at once
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** The session's CSRF token if the request carries a valid session. */
    public Optional<String> csrfOf(Context ctx) {
        SessionStore.Session s = session(ctx);
        return s == null ? Optional.empty() : Optional.of(s.csrf());
    }

    /** Whether the admin password was generated by camserver (not chosen through the environment or a file). */
    public boolean passwordGenerated() {
        return admin.generated();
    }

    public boolean liveViewOpen() {
        return liveViewOpen;
    }

    private SessionStore.Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null || id.length() > 100) {
            return null;
        }
        return sessions.find(idHash(id), System.currentTimeMillis()).orElse(null);
    }

    /** What the database keeps of a session id: its SHA-256, so a copy of the database opens no session. */
    private static String idHash(String id) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
