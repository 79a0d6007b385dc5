package io.camserver.web;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may change state and see faces: admin only, by session plus CSRF token or by Basic. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class AuthTest {
    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes());
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stateChangesNeedTheAdminAndForgedOrGuessedRequestsAreRefused(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            URI people = live.base().resolve("/api/people");
            HttpRequest.Builder create = HttpRequest.newBuilder(people).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\"}"));

            HttpResponse<String> anonymous = send(create.copy().build());
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"camserver\""));
            assertEquals(401, send(HttpRequest.newBuilder(people).GET().build()).statusCode(), "the people list is admin-only");
            assertEquals(401, send(HttpRequest.newBuilder(live.base().resolve("/api/events")).GET().build()).statusCode());

            // A forged cross-site form post: even with (cached) valid credentials it is refused.
            HttpResponse<String> forged = send(create.copy().header("Authorization", LiveFixture.BASIC)
                    .header("Origin", "http://evil.example").build());
            assertEquals(403, forged.statusCode());
            assertTrue(forged.body().contains("cross-site request refused"), forged.body());

            // Browser session: login, then the CSRF token is required on state changes.
            HttpResponse<String> login = send(HttpRequest.newBuilder(live.base().resolve("/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + LiveFixture.ADMIN_PASSWORD + "\"}")).build());
            assertEquals(200, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf = LiveFixture.JSON.readTree(login.body()).get("csrfToken").asText();
            assertEquals(403, send(create.copy().header("Cookie", session).build()).statusCode(), "no CSRF token");
            assertEquals(403, send(create.copy().header("Cookie", session).header("X-CSRF-Token", "guess").build()).statusCode());
            assertEquals(201, send(create.copy().header("Cookie", session).header("X-CSRF-Token", csrf).build()).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(people).header("Cookie", session).GET().build()).statusCode());

            // The session also opens the live pages; registration keeps its own rules (no login).
            assertEquals(200, send(HttpRequest.newBuilder(live.base().resolve("/api/cameras")).header("Cookie", session).GET().build())
                    .statusCode());
            assertEquals("ACK", send(HttpRequest.newBuilder(live.base().resolve("/register?ip=127.0.0.1:9&token=abcdef12")).GET().build())
                    .body());
        }
    }

    @Test
    void tenWrongPasswordsInARowSlowFurtherAttempts(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            URI people = live.base().resolve("/api/people");
            int rejected = 0;
            int throttled = 0;
            for (int i = 0; i < 10; i++) {
                int status = send(HttpRequest.newBuilder(people).header("Authorization", basic("wrong-" + i)).GET().build()).statusCode();
                rejected += status == 401 ? 1 : 0;
                throttled += status == 429 ? 1 : 0;
                if (status == 429) {
                    Thread.sleep(50);
                }
            }
            assertTrue(rejected >= 5 && rejected + throttled == 10, rejected + " rejected, " + throttled + " throttled");
            HttpResponse<String> next = send(HttpRequest.newBuilder(people).header("Authorization", LiveFixture.BASIC).GET().build());
            assertEquals(429, next.statusCode(), "even the right password waits after a run of wrong ones");
            assertTrue(Integer.parseInt(next.headers().firstValue("Retry-After").orElse("0")) >= 1);
            assertTrue(next.body().contains("too many wrong passwords"), next.body());
        }
    }

    @Test
    void liveViewRequiresLoginByDefaultAndFaceImagesAlwaysDo(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            assertEquals(401, send(HttpRequest.newBuilder(live.base().resolve("/api/cameras")).GET().build()).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(live.base().resolve("/api/cameras")).header("Authorization", LiveFixture.BASIC)
                    .GET().build()).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(live.base().resolve("/healthz")).GET().build()).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(live.base().resolve("/api/samples/x/crop.jpg")).GET().build()).statusCode());
        }
    }

    @Test
    void aFirstRunWithoutAPasswordGeneratesOneAndPrintsItOnce(@TempDir Path tmp) throws Exception {
        java.util.List<String> said = new java.util.ArrayList<>();
        io.camserver.web.AdminCredential first = io.camserver.web.AdminCredential.resolve(Map.of(), tmp, said::add);
        assertEquals(1, said.size());
        String pw = said.get(0).substring(said.get(0).lastIndexOf(' ') + 1);
        assertTrue(first.matches(pw));
        assertTrue(Files.readString(tmp.resolve("admin-password.pbkdf2")).indexOf(pw) < 0, "only a hash is stored");
        java.util.List<String> again = new java.util.ArrayList<>();
        io.camserver.web.AdminCredential second = io.camserver.web.AdminCredential.resolve(Map.of(), tmp, again::add);
        assertEquals(0, again.size(), "not printed again");
        assertTrue(second.matches(pw));
        Path secret = Files.writeString(tmp.resolve("secret"), "from-a-mounted-secret\n");
        assertTrue(io.camserver.web.AdminCredential.resolve(Map.of("CAMSERVER_ADMIN_PASSWORD_FILE", secret.toString()), tmp, s -> { })
                .matches("from-a-mounted-secret"));
    }

}
