package io.camserver.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the Debian packages (installed by .ci/install-deps.sh):
 * initdb into a temp folder, started on a free loopback port, stopped and deleted at close.
 * PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {
    private static PostgresServer shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** One server for the whole test run; each caller gets its own fresh database. */
    public static synchronized PostgresServer shared() throws Exception {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of the caller's own (to stop and start for outage tests); close it. */
    public static PostgresServer start() throws Exception {
        Path bin;
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = s.sorted(Comparator.reverseOrder()).map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: run .ci/install-deps.sh"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql; .ci/install-deps.sh does it)", e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("camserver-pg-");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false, null);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(dir, bin, port, root);
        Path data = dir.resolve("data");
        pg.cmd(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "camserver", "-A", "trust", "-E", "UTF8", "--no-sync"));
        pg.cmd(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"));
        return pg;
    }

    /** Stops the server at once, as a crash or a failover would (connections cut, nothing flushed politely). */
    public void stop() throws Exception {
        cmd(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
    }

    /** Starts it again after {@link #stop}, on the same port with the same data. */
    public void resume() throws Exception {
        cmd(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"));
    }

    /** A new, empty database; returns its JDBC URL. */
    public String newDatabase(String name) throws Exception {
        cmd(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "camserver", name));
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    private void cmd(List<String> args) throws Exception {
        run(args, asPostgres, dir);
    }

    private static void run(List<String> args, boolean asPostgres, Path cwd) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
        }
    }

    @Override
    public void close() {
        try {
            cmd(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } catch (Exception ignored) {
            // already stopped
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder
        }
    }
}
