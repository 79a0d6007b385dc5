package io.camserver.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Optional;

/** The admin's session: log in (JSON or a form), log out, and what the page may show. */
final class SessionResource {
    private SessionResource() {
    }

    record LoginRequest(String password) {
    }

    record LoginBody(String csrfToken) {
    }

    /** Log out everywhere: how many sessions ended. */
    record RevokedBody(int sessionsEnded) {
    }

    /** @param passwordGenerated for the first-run guide: told to the admin only */
    record SessionBody(boolean admin, String csrfToken, boolean liveViewOpen,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordGenerated) {
    }

    static void install(JavalinConfig cfg, Auth auth) {
        var r = cfg.routes;
        r.post("/login", ctx -> Http.json(ctx, 200, new LoginBody(auth.login(ctx, password(ctx)))), Auth.Level.PUBLIC);
        r.post("/logout", ctx -> {
            auth.logout(ctx);
            ctx.status(204);
        }, Auth.Level.PUBLIC);
        r.post("/api/sessions/revoke", ctx -> Http.json(ctx, 200, new RevokedBody(auth.logoutEverywhere(ctx))), Auth.Level.ADMIN);
        r.get("/api/session", ctx -> {
            Optional<String> csrf = auth.csrfOf(ctx);
            Http.json(ctx, 200, new SessionBody(csrf.isPresent(), csrf.orElse(null), auth.liveViewOpen(),
                    csrf.isPresent() ? auth.passwordGenerated() : null));
        }, Auth.Level.PUBLIC);
    }

    private static String password(Context ctx) throws java.io.IOException {
        if (ctx.contentType() != null && ctx.contentType().startsWith("application/json")) {
            return Http.body(ctx, LoginRequest.class).password();
        }
        return formField(RequestGuard.smallBody(ctx), "password");
    }

    /** One field of an application/x-www-form-urlencoded body; null if absent. */
    private static String formField(byte[] body, String name) {
        for (String pair : new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
