package io.camserver.app;

import io.camserver.models.ModelUnavailableException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command-line entry point. Each command is a plain class wired here; {@link #run} returns
 * the exit status so tests can drive the real CLI in-process.
 *
 * <p>Exit status: 0 success, 1 failure of camserver itself or its models, 2 bad input
 * (an unreadable image), 64 bad command line.
 */
public final class Main {
    static final int EXIT_USAGE = 64;

    private Main() {
    }

    public static void main(String[] argv) {
        int status = run(Arrays.asList(argv), System.getenv(), System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    static String usage() {
        return """
                usage: camserver COMMAND [options]
                commands:
                  demo                                server + simulated cameras: the live page in a minute
                  serve [--port N] [--config FILE]    the live server (cameras, recognition, streams, API)
                  simulate-camera --images DIR        an ESP32-CAM with the demo firmware, in software
                  identify [--gallery DIR] IMAGE...   name the faces in images (JSON lines)
                  models                              fetch and verify the pinned models
                  bench                               per-stage and whole-frame benchmarks
                  bench-live [--cameras N]            the live server under N simulated cameras, measured
                  eval DIR                            recognition accuracy of each embedder on a labelled folder
                  help [COMMAND]                      this text, or a command's options
                """;
    }

    public static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        if (argv.isEmpty()) {
            err.print(usage());
            return EXIT_USAGE;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        try {
            return switch (command) {
                case "identify" -> new IdentifyCommand(out, err, env).run(rest);
                case "models" -> new ModelsCommand(out, err, env).run(rest);
                case "bench" -> new BenchCommand(out, err, env).run(rest);
                case "eval" -> new EvalCommand(out, err, env).run(rest);
                case "serve" -> new ServeCommand(out, err, env).run(rest);
                case "bench-live" -> new BenchLiveCommand(out, err, env).run(rest);
                case "demo" -> new DemoCommand(out, err, env).run(rest);
                case "simulate-camera" -> new SimulateCameraCommand(out).run(rest);
                case "bench-cameras" -> new BenchCamerasCommand(out, err).run(rest);
                case "help", "--help", "-h" -> {
                    out.print(rest.isEmpty() ? usage() : commandUsage(rest.get(0)));
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "'\n" + usage());
            };
        } catch (UsageException e) {
            err.println("camserver: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ModelUnavailableException e) {
            err.println("camserver: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.io.IOException | java.io.UncheckedIOException | io.camserver.store.StoreException e) {
            err.println("camserver: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            // Settings that validate only at start (a secret file, an address): one line, no trace.
            err.println("camserver: " + e.getMessage());
            return 1;
        }
    }

    private static String commandUsage(String command) {
        return switch (command) {
            case "identify" -> IdentifyCommand.USAGE;
            case "models" -> ModelsCommand.USAGE;
            case "bench" -> BenchCommand.USAGE;
            case "eval" -> EvalCommand.USAGE;
            case "serve" -> ServeCommand.USAGE;
            case "bench-live" -> BenchLiveCommand.USAGE;
            case "demo" -> DemoCommand.USAGE;
            case "simulate-camera" -> SimulateCameraCommand.USAGE;
            case "bench-cameras" -> BenchCamerasCommand.USAGE;
            default -> usage();
        };
    }
}
