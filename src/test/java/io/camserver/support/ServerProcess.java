package io.camserver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code camserver serve} as a process of its own, for the tests that measure what the server
 * itself uses (its resident memory through an attack) rather than the test JVM's. Its log goes
 * to a file next to its data.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("(?:listening on|open) http://[^:/]+:(\\d+)/");

    private final Process process;
    private final int port;
    final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code serve} on a free loopback port with {@code env} added (CAMSERVER_* settings). */
    public static ServerProcess start(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("serve", "--host", "127.0.0.1"));
        all.addAll(List.of(args));
        return command(dir, env, all);
    }

    /** Runs {@code camserver <argv>} with a free port and a data folder of its own, until it says where it listens. */
    public static ServerProcess command(Path dir, Map<String, String> env, List<String> argv) throws Exception {
        Files.createDirectories(dir);
        Path log = dir.resolve("server.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xss1m",
                "-cp", System.getProperty("java.class.path"), "io.camserver.app.Main"));
        cmd.addAll(argv);
        cmd.addAll(List.of("--port", "0", "--data", dir.resolve("data").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().put("CAMSERVER_ADMIN_PASSWORD", LiveFixture.ADMIN_PASSWORD);
        pb.environment().put("CAMSERVER_MDNS_ENABLED", "false");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int found;
        try {
            found = port.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            found = -1;
        }
        if (found < 0) {
            p.destroyForcibly();
            throw new AssertionError(argv.get(0) + " did not start; its log:\n" + Files.readString(log));
        }
        return new ServerProcess(p, found, log);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Peak resident memory of the server process so far (VmHWM), in MiB. */
    public long peakRssMiB() throws IOException {
        return status("VmHWM") >> 10;
    }

    public long rssMiB() throws IOException {
        return status("VmRSS") >> 10;
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + process.pid() + "/status");
    }

    /** Kills the server as a crash or an OOM kill would: SIGKILL, no shutdown, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the server stops in order
        if (!process.waitFor(Duration.ofSeconds(15).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
