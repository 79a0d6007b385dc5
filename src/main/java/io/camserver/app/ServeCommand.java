package io.camserver.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code camserver serve}: the live server. */
final class ServeCommand {
    static final String USAGE = """
            usage: camserver serve [--port N] [--host ADDR] [--data DIR] [--config FILE] [--gallery DIR] [--print-config] [--config-reference]
              Starts the live server (default port 5000): camera registration, MJPEG ingest, recognition,
              /video_feed, per-camera streams, /events (SSE), /api/cameras, /metrics, /healthz, /readyz.
              Every setting has a default, a key in the YAML config file and an environment variable
              (CAMSERVER_<SECTION>_<KEY>); --print-config lists them all with their current values and where each
              came from (secrets as ***); --config-reference prints docs/configuration.md's table of every key.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    ServeCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Reads defaults, then the file, then the environment, then the command line. */
    static Settings settings(Args args, Map<String, String> env) {
        Settings s = new Settings(ServerConfig.defaults(env));
        // The file first (named by --config, else CAMSERVER_CONFIG), then the environment over it,
        // then the command line over both; each value remembers where it came from.
        Optional<String> file = args.value("config").or(() -> Optional.ofNullable(env.get("CAMSERVER_CONFIG")).filter(v -> !v.isBlank()));
        if (file.isPresent()) {
            s.loadYaml(Path.of(file.get()));
            s.set("config", file.get(), args.value("config").isPresent() ? "--config" : "environment CAMSERVER_CONFIG");
        }
        s.loadEnv(env);
        args.value("port").ifPresent(v -> s.set("server.port", v, "--port"));
        args.value("host").ifPresent(v -> s.set("server.host", v, "--host"));
        args.value("data").ifPresent(v -> s.set("server.dataDir", v, "--data"));
        args.value("gallery").ifPresent(v -> s.set("gallery.dir", v, "--gallery"));
        args.value("models-dir").ifPresent(v -> s.set("models.dir", v, "--models-dir"));
        VisionOptions.OPTION_KEYS.forEach((option, key) -> args.value(option).ifPresent(v -> s.set(key, v, "--" + option)));
        s.applyLogLevel();
        return s;
    }

    static Args parse(List<String> argv, String... extraValued) {
        return parse(argv, Set.of(), extraValued);
    }

    /** As above, with boolean flags of the command's own. */
    static Args parse(List<String> argv, Set<String> extraFlags, String... extraValued) {
        Set<String> valued = new java.util.HashSet<>(Set.of("port", "host", "data", "config", "gallery", "models-dir"));
        valued.addAll(List.of(extraValued));
        Set<String> flags = new java.util.HashSet<>(Set.of("print-config", "config-reference"));
        flags.addAll(extraFlags);
        return new Args(argv, valued, flags);
    }

    int run(List<String> argv) throws InterruptedException {
        Args args = parse(argv);
        if (!args.positionals().isEmpty()) {
            throw new UsageException("serve takes no arguments (got " + args.positionals() + ")\n" + USAGE);
        }
        Settings s = settings(args, env);
        if (args.flag("config-reference")) {
            out.print(ConfigReference.markdown(ServerConfig.defaults(env)));
            return 0;
        }
        if (args.flag("print-config")) {
            s.describe().forEach((k, v) -> out.println(k + " = " + v));
            return 0;
        }
        ServerConfig cfg = ServerConfig.from(s);
        CamServer server = CamServer.start(cfg, env, m -> err.println("camserver: " + m));
        out.println("camserver: listening on http://" + (cfg.server().host().equals("0.0.0.0") ? "localhost" : cfg.server().host()) + ":" + server.port() + "/");
        return awaitShutdown(server);
    }

    /** Blocks until SIGTERM/SIGINT, then stops the server in order. */
    static int awaitShutdown(AutoCloseable... parts) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable p : parts) {
                try {
                    p.close();
                } catch (Exception e) {
                    System.err.println("camserver: error while stopping: " + e);
                }
            }
            done.countDown();
        }, "shutdown"));
        done.await();
        return 0;
    }
}
