package io.camserver.app;

import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code camserver demo}: the live server plus simulated cameras fed with real photographs, so a
 * newcomer sees boxed faces on the live page within a minute of the first command.
 */
final class DemoCommand {
    static final String USAGE = """
            usage: camserver demo [--port N] [--cameras N] [--images DIR] [--gallery DIR] [--fps N] [serve options]
              Starts the server and N simulated ESP32 cameras (default 3) that register with it over loopback,
              exactly as the firmware does. Cameras show the pinned face-api demo photographs (MIT) unless
              --images DIR is given (each camera shows the images of one subfolder, or all of them in turn).
              Open the printed URL to watch.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    DemoCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> argv) throws IOException, InterruptedException {
        Args args = ServeCommand.parse(argv, "cameras", "images", "fps");
        int cameras = args.value("cameras").map(v -> Args.parseInt("--cameras", v)).orElse(3);
        double fps = args.value("fps").map(v -> (double) Args.parseFloat("--fps", v)).orElse(8.0);
        if (cameras < 1 || cameras > 16) {
            throw new UsageException("--cameras must be in 1..16 (was " + cameras + ")");
        }
        Settings s = ServeCommand.settings(args, env);
        s.set("mdns.enabled", "false", "demo: the simulated cameras are on loopback, nothing to announce to");
        if (args.value("host").isEmpty()) {
            s.set("server.host", "127.0.0.1", "demo: reachable from this computer only");
        }
        if (InetAddress.getByName(s.string("server.host")).isLoopbackAddress()) {
            // Nobody else can reach a loopback-only demo: the live view may stay open for it.
            s.set("auth.liveView", "open", "demo on loopback");
        }
        ServerConfig cfg = ServerConfig.from(s);
        OpenCvRuntime.load();
        List<List<byte[]>> feeds = feeds(args.value("images").map(Path::of), cfg, cameras);
        CamServer server = CamServer.start(cfg, env, m -> err.println("camserver: " + m));
        URI register = URI.create("http://127.0.0.1:" + server.port());
        List<AutoCloseable> parts = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            InetAddress own = SimulatedCamera.loopback(i);
            SimulatedCamera cam = new SimulatedCamera(feeds.get(i % feeds.size()), fps, 0, register, own.getHostAddress(),
                    Duration.ofSeconds(15), own).start();
            parts.add(cam);
        }
        parts.add(server);
        String at = "http://" + (cfg.server().host().equals("0.0.0.0") ? "localhost" : cfg.server().host()) + ":" + server.port();
        out.println("camserver demo: " + cameras + " simulated cameras registering; open " + at + "/");
        out.println("  all cameras: " + at + "/video_feed   events: " + at + "/events");
        return ServeCommand.awaitShutdown(parts.toArray(AutoCloseable[]::new));
    }

    private List<List<byte[]>> feeds(java.util.Optional<Path> images, ServerConfig cfg, int cameras) throws IOException {
        List<List<byte[]>> feeds = new ArrayList<>();
        if (images.isEmpty()) {
            ModelStore store = new ModelStore(cfg.server().modelsDir(), true, m -> err.println("camserver: " + m));
            List<byte[]> photos = new ArrayList<>();
            for (Path p : store.ensure(ModelCatalog.FACE_API_SAMPLES)) {
                photos.add(CameraFrames.toFrame(Files.readAllBytes(p), p.toString()));
            }
            // Camera i shows photos i, i+N, ...: each camera its own scenes.
            for (int i = 0; i < cameras; i++) {
                List<byte[]> f = new ArrayList<>();
                for (int j = i % photos.size(); j < photos.size(); j += cameras) {
                    f.add(photos.get(j));
                }
                feeds.add(f.isEmpty() ? photos : f);
            }
            // A gallery of people who are in none of those photos would leave every box "unknown", and a
            // newcomer would think recognition is broken: the last camera shows the gallery's own people.
            if (cfg.server().galleryDir().isPresent()) {
                feeds.set(cameras - 1, CameraFrames.loadFrames(cfg.server().galleryDir().get()));
                err.println("camserver: demo: camera " + cameras + " shows the photos of --gallery " + cfg.server().galleryDir().get()
                        + ", so their names appear; the others show the face-api demo photos, whose people are not in it (unknown)");
            }
            return feeds;
        }
        Path dir = images.get();
        List<Path> subdirs;
        try (var s = Files.list(dir)) {
            subdirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (subdirs.isEmpty()) {
            feeds.add(CameraFrames.loadFrames(dir));
        } else {
            for (Path sub : subdirs) {
                feeds.add(CameraFrames.loadFrames(sub));
            }
        }
        return feeds;
    }
}
