package io.camserver.app;

import io.camserver.support.ApiClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running the CLI and the server in a checkout leaves nothing behind in it: faces and hashes go to the user's data folder. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CleanTreeTest {
    private static String gitStatus() throws Exception {
        Process p = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=all").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void identifyAndServeLeaveGitStatusAsItWas(@TempDir Path tmp) throws Exception {
        String before = gitStatus();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Main.run(List.of("identify", Fixtures.person("amy", 1).toString()), System.getenv(), quiet, quiet);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("XDG_DATA_HOME", tmp.toString()); // the user's data folder, wherever it is: not the checkout
        env.remove("CAMSERVER_ADMIN_PASSWORD");
        Settings s = ServeCommand.settings(ServeCommand.parse(List.of("--port", "0", "--host", "127.0.0.1")), env);
        s.set("mdns.enabled", "false", "test");
        try (CamServer server = CamServer.start(ServerConfig.from(s), env, m -> { })) {
            new ApiClient(java.net.URI.create("http://127.0.0.1:" + server.port()), null).get("/healthz");
        }
        assertEquals(before, gitStatus(), "git status changed by running identify and serve in the checkout");
    }
}
