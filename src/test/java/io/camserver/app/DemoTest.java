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
}
