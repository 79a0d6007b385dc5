package io.camserver.support;

import io.camserver.app.CamServer;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.sim.CameraFrames;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real camserver on a free loopback port with the real models, plus simulated cameras that
 * register with it using the firmware's exact bytes. Tests talk to it over real HTTP.
 */
public final class LiveFixture implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());

    public final CamServer server;
    public final Path dataDir;
    private final List<SimulatedCamera> cameras = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LiveFixture(CamServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts a server; {@code overrides} are settings keys (e.g. ingest.readTimeout). */
    public static LiveFixture start(Path tmp, Map<String, String> overrides) {
        return start(tmp, overrides, null);
    }

    /** As above, with a config file read first (for what only a file can hold: webhooks, cameras). */
    public static LiveFixture start(Path tmp, Map<String, String> overrides, Path configFile) {
        Map<String, String> env = new HashMap<>(System.getenv());
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("server.dataDir", tmp.resolve("data").toString());
        settings.put("ingest.readTimeout", "2s");
        settings.put("ingest.backoffInitial", "200ms");
        settings.put("ingest.backoffMax", "2s");
        settings.put("mdns.enabled", "false"); // tests never announce on the machine's network
        settings.putAll(overrides);
        env.put("CAMSERVER_ADMIN_PASSWORD", ADMIN_PASSWORD);
        CamServer server = CamServer.startWith(settings, configFile, env, m -> System.err.println("test server: " + m));
        return new LiveFixture(server, tmp.resolve("data"));
    }

    /** A gallery folder with images {@code from..to} of each named person. */
    public static Path gallery(Path root, int from, int to, String... people) throws IOException {
        for (String p : people) {
            Path dir = Files.createDirectories(root.resolve(p));
            for (int i = from; i <= to; i++) {
                Files.copy(Fixtures.person(p, i), dir.resolve(p + i + ".png"));
            }
        }
        return root;
    }

    public static List<byte[]> frames(String person, int... numbers) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(CameraFrames.toFrame(Files.readAllBytes(Fixtures.person(person, n)), person + n));
        }
        return out;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Loopback addresses handed to simulated cameras, one each across the whole test run. */
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

    /** An address of its own on loopback (127.0.0.2, ...), as every real camera has. */
    public static InetAddress newCameraAddress() {
        return SimulatedCamera.loopback(NEXT_ADDRESS.getAndIncrement());
    }

    /** A simulated ESP32 on an address of its own, registering with this server every {@code every}. */
    public SimulatedCamera camera(List<byte[]> frames, double fps, Duration every) throws IOException {
        InetAddress own = newCameraAddress();
        SimulatedCamera c = new SimulatedCamera(frames, fps, 0, base(), own.getHostAddress(), every, own).start();
        cameras.add(c);
        return c;
    }

    /** A GET as the admin (Basic): the live pages need a login by default. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).header("Authorization", BASIC)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with no credentials at all: what anyone on the network can do. */
    public HttpResponse<String> anonymous(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status line's code and the body of a raw reply. */
    public record Raw(int status, String body) {
    }

    /**
     * Sends {@code GET /register?query} from {@code from} (a loopback address: another machine of
     * the test's making) with the firmware's headers plus {@code extraHeaders}.
     */
    public Raw register(InetAddress from, String query, String... extraHeaders) throws IOException {
        return register(server.port(), from, query, extraHeaders);
    }

    /** As above, to a server on {@code port} of loopback. */
    public static Raw register(int port, InetAddress from, String query, String... extraHeaders) throws IOException {
        StringBuilder req = new StringBuilder("GET /register?" + query + " HTTP/1.1\r\nHost: microshift-cam-reg.local\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(from, 0));
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(req.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(reply.substring(9, 12));
            int body = reply.indexOf("\r\n\r\n");
            return new Raw(status, body < 0 ? "" : reply.substring(body + 4));
        }
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).header("Authorization", BASIC).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode cameras() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/cameras").body());
    }

    public JsonNode camera(String id) throws IOException, InterruptedException {
        for (JsonNode c : cameras()) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }

    public static String idOf(SimulatedCamera c) {
        return c.advertisedIp().replace('.', '-') + "-" + c.port();
    }

    /** The id a camera registered as {@code address:port} gets. */
    public static String idOf(InetAddress address, int port) {
        return address.getHostAddress().replace('.', '-') + "-" + port;
    }

    /**
     * Subscribes to /events like a browser's EventSource; "data" lines arrive on the queue.
     * Returns once the server has the subscription, so no event after this call is missed.
     */
    public BlockingQueue<JsonNode> events() throws InterruptedException {
        int before = server.dispatcher().queueCount();
        BlockingQueue<JsonNode> q = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(base().resolve("/events")).header("Accept", "text/event-stream")
                .header("Authorization", BASIC).GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(line -> {
            if (line.startsWith("data:")) {
                try {
                    q.add(JSON.readTree(line.substring(5).trim()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        waitUntil(Duration.ofSeconds(10), "the SSE subscription", () -> server.dispatcher().queueCount() > before);
        return q;
    }

    /** Waits for a condition (Awaitility, polled every 100 ms); fails naming {@code what} after {@code max}. */
    public static void waitUntil(Duration max, String what, BooleanSupplier ok) {
        Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(100)).until(ok::getAsBoolean);
    }

    /** Like waitUntil, for checks that do I/O: an exception counts as "not yet" (the last is reported on timeout). */
    public interface Check {
        boolean ok() throws Exception;
    }

    public static void eventually(Duration max, String what, Check check) {
        Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(check::ok);
    }

    @Override
    public void close() {
        cameras.forEach(SimulatedCamera::close);
        server.close();
    }
}
