package io.camserver.app;

import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code camserver bench-cameras}: bench-live's load, in a process of its own so that what the
 * server spends is measured apart from what it costs to pretend to be cameras. N simulated
 * cameras register with the server (camera i from 127.0.0.(i+2)), the first {@code --still} of
 * them showing an unchanging scene, the others a new group photo every frame (in random order); with
 * {@code --viewer} one client reads {@code /video_feed}. Prints {@code READY} once all are
 * started and runs until its standard input closes (bench-live's end, or its death).
 */
final class BenchCamerasCommand {
    static final String USAGE = """
            usage: camserver bench-cameras --register URL --cameras N [--fps F] [--still N] [--viewer] [--models-dir DIR]
              bench-live's simulated cameras (and its viewer), run apart from the server; stops when stdin closes.
            """;

    private final PrintStream out;
    private final PrintStream err;

    BenchCamerasCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws IOException, InterruptedException {
        Args args = new Args(argv, Set.of("register", "cameras", "fps", "still", "models-dir"), Set.of("viewer"));
        URI base = URI.create(args.value("register").orElseThrow(() -> new UsageException("--register URL is required\n" + USAGE)));
        int n = args.value("cameras").map(v -> Args.parseInt("--cameras", v)).orElse(8);
        double fps = args.value("fps").map(v -> (double) Args.parseFloat("--fps", v)).orElse(10.0);
        int still = args.value("still").map(v -> Args.parseInt("--still", v)).orElse(0);
        Path modelsDir = args.value("models-dir").map(Path::of).orElseGet(() -> ModelStore.defaultRoot(System.getenv()));
        OpenCvRuntime.load();
        ModelStore store = new ModelStore(modelsDir, true, m -> err.println("camserver: " + m));
        List<byte[]> photos = new ArrayList<>();
        for (Path p : store.ensure(ModelCatalog.FACE_API_SAMPLES)) {
            photos.add(CameraFrames.toFrame(Files.readAllBytes(p), p.toString()));
        }
        List<SimulatedCamera> cams = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<byte[]> feed = new ArrayList<>();
                InetAddress own = SimulatedCamera.loopback(i);
                if (i < still) {
                    feed.addAll(CameraFrames.stillScene(photos.get(i % photos.size()), 8));
                } else {
                    feed.addAll(shuffled(photos, i));
                }
                cams.add(new SimulatedCamera(feed, fps, 0, base, own.getHostAddress(), Duration.ofSeconds(15), own).start());
            }
            Thread viewer = args.flag("viewer") ? Thread.ofPlatform().daemon(true).start(() -> drain(base.resolve("/video_feed"))) : null;
            out.println("READY");
            out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream()); // until bench-live closes it
            if (viewer != null) {
                viewer.interrupt();
            }
        } finally {
            cams.forEach(SimulatedCamera::close);
        }
        return 0;
    }

    /**
     * A moving camera's feed: the photos in a random order (seeded by the camera), never one twice
     * in a row, 300 frames before it repeats. A short fixed cycle would make the work depend on
     * the analysed rate: at the full rate the same photo pairs follow each other and the tracker
     * pairs faces across them, so few faces count as new; at half the rate the pairs change and
     * most do. In random order, every analysed frame is a new scene at any rate.
     */
    static List<byte[]> shuffled(List<byte[]> photos, int camera) {
        java.util.Random random = new java.util.Random(1000L + camera);
        List<byte[]> feed = new ArrayList<>();
        int last = -1;
        for (int k = 0; k < 300; k++) {
            int next = random.nextInt(photos.size() - 1);
            next = last >= 0 && next >= last ? next + 1 : next;
            feed.add(photos.get(next));
            last = next;
        }
        return feed;
    }

    /** Reads the mosaic as a browser would, reconnecting while the server is up. */
    static void drain(URI uri) {
        HttpClient http = HttpClient.newHttpClient();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
