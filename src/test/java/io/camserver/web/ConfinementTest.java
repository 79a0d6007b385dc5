package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin's request may reach on the server: a folder import only inside gallery.dir or the
 * data directory (links followed), a camera test never a link-local (cloud metadata) address, and
 * only a few camera tests at once.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ConfinementTest {
    @Test
    void aFolderImportReadsOnlyTheGalleryOrTheDataDirectory(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            // An admin's session (stolen, or a mistake) asks for a folder the server can read but should not list.
            ApiClient.Reply etc = new ApiClient(live.base(), LiveFixture.BASIC).postJson("/api/people/import", "{\"dir\":\"/etc\"}");
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            assertEquals(403, etc.status(), etc.body());
            assertTrue(etc.body().contains("inside gallery.dir or the data directory"), etc.body());

            Path inside = Files.createDirectories(live.dataDir.resolve("import/Penny"));
            Files.copy(Fixtures.person("penny", 1), inside.resolve("penny1.png"));
            ApiClient.Reply ok = api.postJson("/api/people/import", "{\"dir\":\"" + live.dataDir.resolve("import") + "\"}");
            assertEquals(200, ok.status(), ok.body());
            assertEquals(1, ok.json().get("enrolled").asInt(), ok.body());

            Path link = Files.createSymbolicLink(live.dataDir.resolve("escape"), Path.of("/etc"));
            assertEquals(403, api.postJson("/api/people/import", "{\"dir\":\"" + link + "\"}").status(), "a link out is followed, then refused");
            assertEquals(403, api.postJson("/api/people/import", "{\"dir\":\"" + live.dataDir.resolve("import/../../..") + "\"}").status());
        }
    }

    @Test
    void aCameraTestNeverReachesLinkLocalAddressesAndOnlyTwoRunAtOnce(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("ingest.readTimeout", "8s"));
             ServerSocket hung = new ServerSocket()) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/stream", "rtsp://169.254.1.1/live")) {
                ApiClient.Reply r = api.postJson("/api/cameras/test", "{\"url\":\"" + url + "\"}");
                assertEquals(422, r.status(), url + " -> " + r.body());
                assertEquals("url", r.json().get("field").asText());
                assertTrue(r.body().contains("link-local"), r.body());
            }

            // A camera that accepts and never answers keeps a test busy until the read times out.
            hung.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(hung.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            String body = "{\"url\":\"http://127.0.0.1:" + hung.getLocalPort() + "/stream\"}";
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<ApiClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replies.add(pool.submit(() -> api.postJson("/api/cameras/test", body)));
                if (i < 2) {
                    LiveFixture.waitUntil(Duration.ofSeconds(5), "test " + (i + 1) + " connected", () -> held.size() > replies.size() - 1);
                }
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<ApiClient.Reply> f : replies) {
                statuses.add(f.get().status());
            }
            assertEquals(List.of(422, 422, 503), statuses, "two tests run (and time out), the third is turned away");
            pool.shutdown();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
