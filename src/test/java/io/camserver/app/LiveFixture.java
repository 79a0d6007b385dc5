package io.camserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * A real camserver on a free loopback port with the real models, plus simulated cameras that
 * register with it using the firmware's exact bytes. Tests talk to it over real HTTP.
 */
final class LiveFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());

    final CamServer server;
    final Path dataDir;
    private final List<SimulatedCamera> cameras = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LiveFixture(CamServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts a server; {@code overrides} are settings keys (e.g. ingest.readTimeout). */
    static LiveFixture start(Path tmp, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(System.getenv());
        Settings s = new Settings(ServerConfig.defaults(env));
        s.set("server.port", "0", "test");
        s.set("server.host", "127.0.0.1", "test");
        s.set("server.dataDir", tmp.resolve("data").toString(), "test");
        s.set("ingest.readTimeout", "2s", "test");
        s.set("ingest.backoffInitial", "200ms", "test");
        s.set("ingest.backoffMax", "2s", "test");
        s.set("mdns.enabled", "false", "test"); // tests never announce on the machine's network
        overrides.forEach((k, v) -> s.set(k, v, "test"));
        env.put("CAMSERVER_ADMIN_PASSWORD", ADMIN_PASSWORD);
        CamServer server = CamServer.start(ServerConfig.from(s), env, m -> System.err.println("test server: " + m));
        return new LiveFixture(server, tmp.resolve("data"));
    }

    /** A gallery folder with images {@code from..to} of each named person. */
    static Path gallery(Path root, int from, int to, String... people) throws IOException {
        for (String p : people) {
            Path dir = Files.createDirectories(root.resolve(p));
            for (int i = from; i <= to; i++) {
                Files.copy(Fixtures.person(p, i), dir.resolve(p + i + ".png"));
            }
        }
        return root;
    }

    static List<byte[]> frames(String person, int... numbers) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(SimulatedCamera.toFrame(Files.readAllBytes(Fixtures.person(person, n)), person + n));
        }
        return out;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** A simulated ESP32 registering with this server every {@code every}. */
    SimulatedCamera camera(List<byte[]> frames, double fps, Duration every) throws IOException {
        SimulatedCamera c = new SimulatedCamera(frames, fps, 0, base(), "127.0.0.1", every, InetAddress.getLoopbackAddress()).start();
        cameras.add(c);
        return c;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).header("Authorization", BASIC).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode cameras() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/cameras").body());
    }

    JsonNode camera(String id) throws IOException, InterruptedException {
        for (JsonNode c : cameras()) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }

    static String idOf(SimulatedCamera c) {
        return "127-0-0-1-" + c.port();
    }

    /** Subscribes to /events like a browser's EventSource; "data" lines arrive on the queue. */
    BlockingQueue<JsonNode> events() {
        BlockingQueue<JsonNode> q = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(base().resolve("/events")).header("Accept", "text/event-stream").GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(line -> {
            if (line.startsWith("data:")) {
                try {
                    q.add(JSON.readTree(line.substring(5).trim()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        return q;
    }

    static void waitUntil(Duration max, String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Like waitUntil, for checks that do I/O. */
    interface Check {
        boolean ok() throws Exception;
    }

    static void eventually(Duration max, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what, last);
    }

    @Override
    public void close() {
        cameras.forEach(SimulatedCamera::close);
        server.close();
    }
}
