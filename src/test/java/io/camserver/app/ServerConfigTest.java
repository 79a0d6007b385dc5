package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.CameraSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: defaults, then file, then environment, then command line; every error names its key. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ServerConfigTest {
    private static ServerConfig load(Path file, Map<String, String> env, String... argv) {
        Map<String, String> e = new HashMap<>(env);
        List<String> args = new java.util.ArrayList<>(List.of(argv));
        if (file != null) {
            args.add("--config");
            args.add(file.toString());
        }
        return ServerConfig.from(ServeCommand.settings(ServeCommand.parse(args), e));
    }

    @Test
    void defaultsAreTheDemosPortAndPrivateNetworks() {
        ServerConfig c = load(null, Map.of());
        assertEquals(5000, c.server().port());
        assertEquals(32, c.registration().policy().maxCameras());
        assertEquals(6, c.registration().policy().networks().size());
        assertEquals(Duration.ofSeconds(5), c.ingest().limits().readTimeout());
        assertEquals(0.40f, c.vision().match().threshold(), 1e-6);
    }

    @Test
    void fileThenEnvironmentThenCommandLine(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("c.yaml"), """
                server:
                  port: 6000
                ingest:
                  readTimeout: 7s
                registration:
                  networks: [192.168.66.0/24]
                cameras:
                  - id: door
                    url: http://192.168.66.20:81/stream
                  - id: yard
                    url: http://192.168.66.21/capture
                    kind: snapshot
                    interval: 250ms
                """);
        ServerConfig c = load(f, Map.of("CAMSERVER_SERVER_PORT", "7000", "CAMSERVER_INGEST_READ_TIMEOUT", "9s"), "--port", "8000");
        assertEquals(8000, c.server().port(), "command line wins");
        assertEquals(Duration.ofSeconds(9), c.ingest().limits().readTimeout(), "environment beats file");
        assertEquals("192.168.66.0/24", c.registration().policy().networks().get(0).toString());
        assertEquals(2, c.cameras().size());
        assertEquals(CameraSpec.Kind.SNAPSHOT, c.cameras().get(1).source().kind());
        assertEquals(Duration.ofMillis(250), c.cameras().get(1).source().interval());
    }

    @Test
    void camerasFromTheEnvironment() {
        ServerConfig c = load(null, Map.of("CAMSERVER_CAMERAS", "door=http://10.0.0.5:81/stream, yard=snapshot:http://10.0.0.6/capture"));
        assertEquals(List.of("door", "yard"), c.cameras().stream().map(ServerConfig.ConfiguredCamera::id).toList());
        assertEquals("http://10.0.0.6/capture", c.cameras().get(1).source().url().toString());
    }

    @Test
    void errorsNameTheKeyTheValueAndWhereItCameFrom(@TempDir Path tmp) throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "registation:\n  key: x\n");
        assertEquals("unknown setting 'registation.key' (from " + typo + ")",
                assertThrows(UsageException.class, () -> load(typo, Map.of())).getMessage());
        assertEquals("ingest.readTimeout must be a duration like 500ms, 5s, 2m or 1h (was 'soon' from environment CAMSERVER_INGEST_READ_TIMEOUT)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_INGEST_READ_TIMEOUT", "soon"))).getMessage());
        assertEquals("registration.maxCameras must be in 1..1024 (was 0)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_REGISTRATION_MAX_CAMERAS", "0"))).getMessage());
        assertEquals("network '10.0.0.0' needs a /prefix, e.g. 192.168.0.0/16",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_REGISTRATION_NETWORKS", "10.0.0.0"))).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_EMBEDDER_KIND", "dlib"))).getMessage()
                .startsWith("embedder.kind dlib is for `camserver eval --embedders dlib` only"));
        assertEquals("registration.key must be at least 8 characters when set (was 3)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_REGISTRATION_KEY", "abc"))).getMessage());
        Path badCam = Files.writeString(tmp.resolve("cam.yaml"), "cameras:\n  - id: Front Door\n    url: http://10.0.0.1/\n");
        assertEquals("cameras: id must be 1-63 of a-z 0-9 - starting with a letter or digit (was 'Front Door')",
                assertThrows(UsageException.class, () -> load(badCam, Map.of())).getMessage());
    }

    @Test
    void renamedSettingsAreRefusedWithTheirNewNames(@TempDir Path tmp) throws Exception {
        Path old = Files.writeString(tmp.resolve("old.yaml"), "cluster:\n  enabled: true\n");
        assertTrue(assertThrows(UsageException.class, () -> load(old, Map.of())).getMessage()
                .equals("setting 'cluster.enabled' was renamed: use 'replicas.enabled' (from " + old + ")"));
        assertEquals("CAMSERVER_CLUSTER_SECRET was renamed: set CAMSERVER_REPLICAS_SECRET (replicas.secret)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_CLUSTER_SECRET", "0123456789abcdef"))).getMessage());
        assertEquals("CAMSERVER_CLUSTERS_THRESHOLD was renamed: set CAMSERVER_VISITORS_THRESHOLD (visitors.threshold)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_CLUSTERS_THRESHOLD", "0.5"))).getMessage());
        assertEquals(0.5f, load(null, Map.of("CAMSERVER_VISITORS_THRESHOLD", "0.5")).events().visitorThreshold());
        assertEquals("CAMSERVER_REGISTRATION_TRUSTED_PROXIES was renamed: set CAMSERVER_SERVER_TRUSTED_PROXIES (server.trustedProxies)",
                assertThrows(UsageException.class, () -> load(null, Map.of("CAMSERVER_REGISTRATION_TRUSTED_PROXIES", "10.0.0.0/8"))).getMessage());
    }

    @Test
    void envNamesAreUpperSnakeOfTheKeys() {
        assertEquals("CAMSERVER_INGEST_MAX_PART_BYTES", Settings.envName("ingest.maxPartBytes"));
        assertEquals("CAMSERVER_SERVER_DATA_DIR", Settings.envName("server.dataDir"));
    }

    @Test
    void printConfigListsEveryKeyWithItsSource() {
        var out = new java.io.ByteArrayOutputStream();
        int status = Main.run(List.of("serve", "--print-config", "--port", "5050"), Map.of(), new java.io.PrintStream(out),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        assertEquals(0, status);
        String text = out.toString();
        assertTrue(text.contains("server.port = 5050  (--port, env CAMSERVER_SERVER_PORT)"), text);
        assertTrue(text.contains("ingest.readTimeout = 5s  (default, env CAMSERVER_INGEST_READ_TIMEOUT)"), text);
    }
}
