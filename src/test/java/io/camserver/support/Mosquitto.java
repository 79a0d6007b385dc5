package io.camserver.support;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Mosquitto broker from Debian's package (installed by .ci/install-deps.sh), on a
 * loopback port of its own, started and stopped by the test. Anonymous, or with a password file.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A free loopback port for a broker that is not started yet. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Writes the broker's config; {@code user}/{@code password} null for an anonymous broker. */
    public static Mosquitto configure(Path dir, int port, String user, String password) throws Exception {
        Files.createDirectories(dir);
        StringBuilder conf = new StringBuilder();
        conf.append("listener ").append(port).append(" 127.0.0.1\n");
        conf.append("persistence false\n");
        conf.append("user root\n"); // started as root by CI: keep reading the test's private files
        conf.append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n');
        if (user == null) {
            conf.append("allow_anonymous true\n");
        } else {
            Path passwords = dir.resolve("passwords");
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), user, password).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_passwd failed: " + out);
            }
            conf.append("allow_anonymous false\n");
            conf.append("password_file ").append(passwords).append('\n');
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
        return new Mosquitto(dir, port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts (or restarts) the broker and waits until it accepts connections. */
    public synchronized Mosquitto start() throws Exception {
        if (process != null && process.isAlive()) {
            return this;
        }
        process = new ProcessBuilder(List.of("mosquitto", "-c", dir.resolve("mosquitto.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Process started = process;
        Awaitility.await("mosquitto listening on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Stops the broker (SIGTERM) and waits for it. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
