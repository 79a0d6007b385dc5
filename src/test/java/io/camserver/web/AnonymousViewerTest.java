package io.camserver.web;

import io.camserver.app.UsageException;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.sim.SimulatedCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone on the network asking a default server for the cameras, the live names of the people
 * in them and the metrics. With the defaults each needs a login; the metrics scraper has its own
 * token; and the owner can open what they choose to open.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class AnonymousViewerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static int status(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        // Streams never end: only the status line and headers are read.
        HttpResponse<java.io.InputStream> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void aDefaultServerShowsNoCameraNoNameAndNoMetricsWithoutALogin(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 1, 2), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            LiveFixture.eventually(Duration.ofSeconds(10), "streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));
            List<String> watched = List.of("/", "/video_feed", "/events", "/api/cameras", "/api/cameras/" + id, "/cameras/" + id + "/stream",
                    "/cameras/" + id + "/snapshot.jpg", "/metrics", "/api/events", "/api/people");
            for (String path : watched) {
                int expected = path.equals("/") ? 200 : 401; // the page itself holds no data: it asks for the login
                assertEquals(expected, status(live.base().resolve(path)), path);
            }
            for (String path : watched) {
                assertEquals(200, status(live.base().resolve(path), "Authorization", LiveFixture.BASIC), path + " as admin");
            }
            assertTrue(live.anonymous("/api/session").body().contains("\"liveViewOpen\":false"));
            assertEquals(200, status(live.base().resolve("/healthz")));
            assertEquals(200, status(live.base().resolve("/readyz")));
            assertEquals("streaming", live.camera(id).get("state").asText());
        }
    }

    @Test
    void prometheusScrapesWithItsBearerTokenAndNothingElse(@TempDir Path tmp) throws Exception {
        Path token = Files.writeString(tmp.resolve("metrics-token"), "scrape-token-0123456789abcdef\n");
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("metrics.tokenFile", token.toString()))) {
            URI metrics = live.base().resolve("/metrics");
            assertEquals(200, status(metrics, "Authorization", "Bearer scrape-token-0123456789abcdef"));
            assertEquals(401, status(metrics, "Authorization", "Bearer scrape-token-0123456789abcdeX"));
            assertEquals(401, status(metrics));
            assertEquals(401, status(live.base().resolve("/api/cameras"), "Authorization", "Bearer scrape-token-0123456789abcdef"),
                    "the metrics token opens the metrics only");
        }
    }

    @Test
    void theOwnerMayOpenTheLiveViewAndTheMetricsOnPurpose(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("auth.liveView", "open", "metrics.public", "true"))) {
            assertEquals(200, status(live.base().resolve("/api/cameras")));
            assertEquals(200, status(live.base().resolve("/video_feed")));
            assertEquals(200, status(live.base().resolve("/metrics")));
            assertEquals(401, status(live.base().resolve("/api/people")), "people stay admin-only");
            assertEquals(401, status(live.base().resolve("/api/events")), "so does the history");
        }
    }

    @Test
    void aShortMetricsTokenIsRefusedAtStart(@TempDir Path tmp) throws Exception {
        Path token = Files.writeString(tmp.resolve("metrics-token"), "short");
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> LiveFixture.start(tmp, Map.of("metrics.tokenFile", token.toString())));
        assertEquals("metrics.tokenFile " + token + " must hold a token of at least 16 characters (has 5)", e.getMessage());
    }
}
