package io.camserver.web;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may do what. Three levels: public (registration, probes, metrics, the login itself),
 * live view (the live pages: open to anyone, or only after login, per {@code auth.liveView}),
 * and admin (everything that changes state, and every face image).
 *
 * <p>Browsers log in once and get a session cookie (HttpOnly, SameSite=Strict, Secure behind
 * HTTPS) plus a CSRF token they must echo in {@code X-CSRF-Token} on every state-changing
 * request. API clients send HTTP Basic as {@code admin}. Whatever the credential, a
 * state-changing request whose {@code Origin} is another site is refused: a browser that has
 * cached Basic credentials would otherwise send them with a forged cross-site form. Repeated
 * wrong passwords from one address are answered with 429 for a growing time.
 */
public final class Auth {
    public static final String COOKIE = "camserver_session";
    private static final Duration SESSION_TTL = Duration.ofHours(12);
    private static final int FREE_FAILURES = 5;

    public enum Level { PUBLIC, LIVE, ADMIN }

    private final AdminCredential admin;
    private final boolean liveViewOpen;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private record Session(String csrf, long expiresAt) {
    }

    private static final class Failures {
        int count;
        long blockedUntil;
    }

    public Auth(AdminCredential admin, boolean liveViewOpen) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.liveViewOpen = liveViewOpen;
    }

    /** The level a request needs, from its method and path. */
    public static Level required(String method, String path) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/register") || path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")
                || path.equals("/login") || path.equals("/logout") || path.equals("/openapi.json") || path.startsWith("/ui/")
                || (read && path.equals("/api/session"))) {
            return Level.PUBLIC;
        }
        if (read && (path.equals("/") || path.equals("/video_feed") || path.equals("/events") || path.equals("/api/cameras")
                || path.matches("/cameras/[^/]+/(stream|snapshot\\.jpg)") || path.matches("/api/cameras/[^/]+"))) {
            return Level.LIVE;
        }
        return Level.ADMIN;
    }

    /** Runs before every request: throws 401/403/429 unless the request may proceed. */
    public void check(Context ctx) {
        String method = ctx.method().name();
        Level need = required(method, ctx.path());
        boolean changes = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (changes && crossSite(ctx)) {
            throw new HttpResponseException(403, "cross-site request refused (Origin " + ctx.header("Origin") + ")");
        }
        if (need == Level.PUBLIC || (need == Level.LIVE && liveViewOpen)) {
            return;
        }
        Optional<String> basic = AdminCredential.basicPassword(ctx.header("Authorization"));
        if (basic.isPresent()) {
            if (!attempt(ctx, basic.get())) {
                challenge(ctx, "wrong admin password");
            }
            return;
        }
        Session s = session(ctx);
        if (s == null) {
            challenge(ctx, need == Level.LIVE ? "log in to watch (auth.liveView=login)" : "admin login required");
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

    /** Checks a password with the per-address throttle; true if right. */
    boolean attempt(Context ctx, String password) {
        String who = ctx.ip();
        Failures f = failures.computeIfAbsent(who, k -> new Failures());
        synchronized (f) {
            long now = System.currentTimeMillis();
            if (f.blockedUntil > now) {
                long wait = (f.blockedUntil - now + 999) / 1000;
                ctx.header("Retry-After", String.valueOf(wait));
                throw new HttpResponseException(429, "too many wrong passwords; try again in " + wait + " s");
            }
            if (admin.matches(password)) {
                f.count = 0;
                return true;
            }
            f.count++;
            if (f.count >= FREE_FAILURES) {
                // 1 s after the 5th failure, doubling each time, at most 5 minutes
                long delay = Math.min(300_000L, 1000L << Math.min(20, f.count - FREE_FAILURES));
                f.blockedUntil = now + delay;
            }
            return false;
        }
    }

    /** Logs in; returns the CSRF token for the new session. */
    public String login(Context ctx, String password) {
        if (!attempt(ctx, password)) {
            throw new HttpResponseException(401, "wrong admin password");
        }
        String id = token(32);
        String csrf = token(24);
        sessions.put(id, new Session(csrf, System.currentTimeMillis() + SESSION_TTL.toMillis()));
        boolean https = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equalsIgnoreCase(ctx.scheme());
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION_TTL.toSeconds()
                + (https ? "; Secure" : ""));
        return csrf;
    }

    public void logout(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null) {
            sessions.remove(id);
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** The session's CSRF token if the request carries a valid session. */
    public Optional<String> csrfOf(Context ctx) {
        Session s = session(ctx);
        return s == null ? Optional.empty() : Optional.of(s.csrf());
    }

    public boolean liveViewOpen() {
        return liveViewOpen;
    }

    private Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null || s.expiresAt() < System.currentTimeMillis()) {
            sessions.remove(id);
            return null;
        }
        return s;
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
