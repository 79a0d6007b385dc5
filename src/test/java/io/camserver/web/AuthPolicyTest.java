package io.camserver.web;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.web.Auth;
import io.camserver.web.WebServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what, read from the routes themselves: exactly these are public, exactly these
 * need the live-view login, only /metrics takes the metrics token, and everything else needs the
 * admin. A new route that forgets its level, or a change that opens one, fails here.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class AuthPolicyTest {
    @Test
    void theLevelsDeclaredOnTheRoutesAreThePolicy(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            Map<Auth.Level, Set<String>> byLevel = new java.util.EnumMap<>(Auth.Level.class);
            for (WebServer.Route r : live.server.routes()) {
                if (!r.method().equals("HEAD") && !r.method().equals("OPTIONS")) {
                    byLevel.computeIfAbsent(r.level(), k -> new TreeSet<>()).add(r.method() + " " + r.path());
                }
            }
            assertEquals(new TreeSet<>(Set.of("GET /", "GET /ui/{file}", "GET /register", "GET /healthz", "GET /readyz", "POST /login",
                    "POST /logout", "GET /api/session", "GET /openapi.json")), byLevel.get(Auth.Level.PUBLIC));
            assertEquals(new TreeSet<>(Set.of("GET /video_feed", "GET /events", "GET /api/cameras", "GET /api/cameras/{id}",
                    "GET /cameras/{id}/stream", "GET /cameras/{id}/snapshot.jpg", "GET /cameras/{id}/tile.jpg")), byLevel.get(Auth.Level.LIVE));
            assertEquals(Set.of("GET /metrics"), byLevel.get(Auth.Level.METRICS));
            assertEquals(null, byLevel.get(null), "every route declares a level");
        }
    }
}
