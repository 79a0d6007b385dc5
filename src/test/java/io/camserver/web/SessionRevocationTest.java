package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.app.CamServer;
import io.camserver.support.LiveFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions end when they should: every one when the admin password changes (a leaked password is
 * changed; the thief's session must not outlive it), and all of them on "log out everywhere"; HSTS
 * once the server is reached over TLS.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class SessionRevocationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static CamServer start(Path tmp, String password) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CAMSERVER_ADMIN_PASSWORD", password);
        return CamServer.startWith(Map.of("server.port", "0", "server.host", "127.0.0.1", "server.dataDir", tmp.resolve("data").toString(),
                "mdns.enabled", "false"), null, env, m -> { });
    }

    private record Session(String cookie, String csrf) {
    }

    private static Session login(URI base, String password) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = LiveFixture.JSON.readTree(r.body());
        return new Session(r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0], body.get("csrfToken").asText());
    }

    private static int people(URI base, Session s) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/api/people")).header("Cookie", s.cookie()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static URI base(CamServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void aChangedAdminPasswordEndsEverySession(@TempDir Path tmp) throws Exception {
        Session s;
        try (CamServer server = start(tmp, "first-password-1")) {
            s = login(base(server), "first-password-1");
            assertEquals(200, people(base(server), s));
        }
        try (CamServer server = start(tmp, "first-password-1")) {
            assertEquals(200, people(base(server), s), "a restart with the same password keeps sessions");
        }
        try (CamServer server = start(tmp, "second-password-2")) {
            assertEquals(401, people(base(server), s), "the old password's session ended");
            Session fresh = login(base(server), "second-password-2");
            assertEquals(200, people(base(server), fresh));
        }
    }

    @Test
    void logOutEverywhereEndsEverySessionAndTlsTurnsOnHsts(@TempDir Path tmp) throws Exception {
        try (CamServer server = start(tmp, "the-password-1")) {
            URI base = base(server);
            Session phone = login(base, "the-password-1");
            Session laptop = login(base, "the-password-1");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/sessions/revoke")).header("Cookie", laptop.cookie())
                    .header("X-CSRF-Token", laptop.csrf()).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(2, LiveFixture.JSON.readTree(r.body()).get("sessionsEnded").asInt());
            assertEquals(401, people(base, phone));
            assertEquals(401, people(base, laptop));

            HttpResponse<Void> tls = HTTP.send(HttpRequest.newBuilder(base.resolve("/healthz")).header("X-Forwarded-Proto", "https").GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals("max-age=31536000", tls.headers().firstValue("Strict-Transport-Security").orElse(""));
            HttpResponse<Void> plain = HTTP.send(HttpRequest.newBuilder(base.resolve("/healthz")).GET().build(), HttpResponse.BodyHandlers.discarding());
            assertTrue(plain.headers().firstValue("Strict-Transport-Security").isEmpty(), "no HSTS over plain http");
        }
    }
}
