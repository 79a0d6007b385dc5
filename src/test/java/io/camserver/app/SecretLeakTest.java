package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets and faces where they should not be: in {@code --print-config} output pasted into a
 * ticket, in a data folder other users of the machine can read, or left in the working directory
 * (a git checkout) by a run of the server.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class SecretLeakTest {
    @Test
    void printConfigShowsThatSecretsAreSetButNeverTheirValues() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CAMSERVER_STORAGE_PASSWORD", "pg-Secret-Value-1");
        env.put("CAMSERVER_REGISTRATION_KEY", "reg-Secret-Value-2");
        // Passwords inside URL-valued settings, the way users write them.
        env.put("CAMSERVER_MQTT_URL", "mqtt://camserver:mqtt-Secret-Value-3@broker:1883");
        env.put("CAMSERVER_STORAGE_URL", "jdbc:postgresql://db:5432/camserver?user=camserver&password=pg-Secret-Value-4");
        env.put("CAMSERVER_CAMERAS", "door=http://admin:cam-Secret-Value-5@10.0.0.5/stream");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(List.of("serve", "--print-config"), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status);
        assertFalse(printed.contains("Secret-Value"), printed);
        assertTrue(printed.contains("storage.password = ***  (environment"), printed);
        assertTrue(printed.contains("registration.key = ***  (environment"), printed);
        assertTrue(printed.contains("mqtt.url = mqtt://***@broker:1883  (environment"), printed);
        assertTrue(printed.contains("storage.url = jdbc:postgresql://db:5432/camserver?user=camserver&password=***  (environment"), printed);
        assertTrue(printed.contains("metrics.tokenFile = "), "a file naming a secret is shown: it is not the secret");
        assertTrue(Settings.isSecret("mqtt.password") && Settings.isSecret("webhook.secret") && !Settings.isSecret("metrics.tokenFile"));
    }

    @Test
    void theDefaultDataFolderIsTheUsersAndOnlyTheirs(@TempDir Path tmp) throws Exception {
        assertEquals(Path.of("/home/u/.local/share/camserver"), ServerConfig.defaultDataDir(Map.of("HOME", "/home/u")));
        assertEquals(Path.of("/x/data/camserver"), ServerConfig.defaultDataDir(Map.of("HOME", "/home/u", "XDG_DATA_HOME", "/x/data")));
        assertEquals(Path.of("/home/u/.local/share/camserver"), ServerConfig.defaultDataDir(Map.of("HOME", "/home/u", "XDG_DATA_HOME", "rel")),
                "a relative XDG_DATA_HOME is ignored, as the spec says");

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("XDG_DATA_HOME", tmp.resolve("xdg").toString());
        env.remove("CAMSERVER_ADMIN_PASSWORD");
        env.remove("CAMSERVER_ADMIN_PASSWORD_FILE");
        Settings s = new Settings(ServerConfig.defaults(env));
        s.set("server.port", "0", "test");
        s.set("server.host", "127.0.0.1", "test");
        s.set("mdns.enabled", "false", "test");
        List<String> said = new java.util.ArrayList<>();
        try (CamServer server = CamServer.start(ServerConfig.from(s), env, said::add)) {
            Path data = tmp.resolve("xdg/camserver");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            for (String f : List.of("camserver.db", "admin-password.pbkdf2")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(f))), f);
            }
            assertTrue(said.stream().anyMatch(m -> m.startsWith("generated admin password")), said.toString());
            assertTrue(server.port() > 0);
        }
        assertTrue(Files.readString(Path.of(".gitignore")).lines().anyMatch("data/"::equals), "data/ is ignored in a checkout");
    }
}
