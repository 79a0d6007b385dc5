package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.LiveFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a trusted proxy (the ingress) every client arrives from the proxy's address: the login
 * throttle must count each client behind it, or one guesser locks the admin out for everyone.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ProxiedLockoutTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int login(URI people, String password, String client) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        // The proxy (this test, on 127.0.0.1) appends the client it saw, as ingress controllers do.
        HttpRequest r = HttpRequest.newBuilder(people).header("Authorization", basic).header("X-Forwarded-For", "203.0.113.9, " + client)
                .GET().build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aGuesserBehindTheIngressLocksOutOnlyItself(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("server.trustedProxies", "127.0.0.1/32"))) {
            URI people = live.base().resolve("/api/people");
            int throttled = 0;
            for (int i = 0; i < 25; i++) {
                throttled += login(people, "wrong-" + i, "192.0.2.66") == 429 ? 1 : 0;
            }
            assertTrue(throttled > 0, "the guesser is slowed down");
            assertEquals(429, login(people, LiveFixture.ADMIN_PASSWORD, "192.0.2.66"), "even with the right password, from the guesser");
            assertEquals(200, login(people, LiveFixture.ADMIN_PASSWORD, "192.0.2.10"), "the admin, behind the same proxy, gets in");
        }
    }

    @Test
    void withoutTrustTheForwardedHeaderChangesNothing(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            URI people = live.base().resolve("/api/people");
            for (int i = 0; i < 25; i++) {
                login(people, "wrong-" + i, "192.0.2." + i); // a guesser that writes a new address each time
            }
            assertEquals(429, login(people, LiveFixture.ADMIN_PASSWORD, "192.0.2.200"), "an untrusted peer's header is not believed");
        }
    }
}
