package io.camserver.app;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;
import io.camserver.support.ServerProcess;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camserver demo} as a newcomer runs it: it listens on 127.0.0.1 only, so its live view may
 * stay open; its simulated cameras each register from a loopback address of their own, as real
 * cameras do, and stream.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class DemoTest {
    @Test
    void theDemoListensOnLoopbackOnlyAndItsCamerasStreamWithoutALogin(@TempDir Path tmp) throws Exception {
        try (ServerProcess demo = ServerProcess.command(tmp, Map.of(), List.of("demo", "--cameras", "2", "--fps", "4",
                "--images", Fixtures.faces().resolve("people").toString()))) {
            ApiClient anyone = new ApiClient(demo.base(), null);
            LiveFixture.eventually(Duration.ofSeconds(30), "two cameras streaming, seen without a login", () -> {
                ApiClient.Reply r = anyone.get("/api/cameras");
                if (r.status() != 200) {
                    return false;
                }
                int streaming = 0;
                for (var c : r.json()) {
                    streaming += "streaming".equals(c.get("state").asText()) && c.get("id").asText().startsWith("127-0-0-") ? 1 : 0;
                }
                return streaming == 2;
            });
            assertTrue(anyone.get("/api/cameras").body().contains("127-0-0-2-"), "each camera has an address of its own");
            // Bound to 127.0.0.1: another loopback address of this machine cannot reach it.
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.9", demo.port()), 2000);
                }
            });
            assertTrue(anyone.get("/api/people").status() == 401, "people stay admin-only in the demo too");
        }
    }

    /** With --gallery and the default photos, one camera shows the gallery's people: a newcomer sees names, not only "unknown". */
    @Test
    void aDemoWithAGalleryNamesSomeoneOutOfTheBox(@TempDir Path tmp) throws Exception {
        try (ServerProcess demo = ServerProcess.command(tmp, Map.of(), List.of("demo", "--cameras", "2", "--fps", "4",
                "--gallery", Fixtures.faces().resolve("people").toString()))) {
            ApiClient anyone = new ApiClient(demo.base(), null);
            java.util.Set<String> people = java.util.Set.copyOf(Fixtures.people());
            LiveFixture.eventually(Duration.ofSeconds(90), "someone of the gallery named on a camera", () -> {
                ApiClient.Reply r = anyone.get("/api/cameras");
                return r.status() == 200 && anyone.get("/cameras/" + r.json().get(r.json().size() - 1).get("id").asText() + "/snapshot.jpg").status() == 200
                        && named(demo, people);
            });
        }
    }

    /** Whether the live events (open in the demo) name one of {@code people} within a few seconds. */
    private static boolean named(ServerProcess demo, java.util.Set<String> people) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(demo.base().resolve("/events")).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(8)).build();
        try {
            var lines = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofLines()).body().iterator();
            long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < end && lines.hasNext()) {
                String l = lines.next();
                if (l.startsWith("data:") && people.stream().anyMatch(p -> l.contains("\"person\":\"" + p + "\""))) {
                    return true;
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // the stream timed out without a name: try again
        }
        return false;
    }
}
