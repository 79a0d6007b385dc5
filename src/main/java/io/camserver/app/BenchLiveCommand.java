package io.camserver.app;

import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraSpec;
import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code camserver bench-live}: the whole live server under N simulated cameras, measured.
 * Everything runs in this one process (cameras, server, a viewer of /video_feed), so the CPU
 * figure includes the simulated cameras' sending, a small share.
 */
final class BenchLiveCommand {
    static final String USAGE = """
            usage: camserver bench-live [--cameras N] [--fps F] [--still N] [--viewers 0|1] [--rtsp] [--seconds S] [--warmup S] [serve options]
              Starts the server with N simulated cameras (default 8) at F fps (default 10), 640x480 real group
              photos, one viewer on /video_feed, and prints analysed and dropped frame rates, latency from
              frame arrival to annotated frame (p50/p95/p99), CPU use and resident memory every 10 s.
              --still N: N of the cameras show an unchanging scene (one photo with fresh sensor-like noise in
              every frame); the others change picture every frame, the worst case for motion gating.
              --viewers 0: nobody watches (no annotation, no mosaic; frames decoded at the detector's scale).
              --rtsp: the cameras are RTSP, 640x360 H.264 at F fps (the group photos, one a second), each served by an
              ffmpeg of its own on loopback and read through camserver's ffmpeg child; also prints the CPU the
              readers spent on ingest and decode per camera (ffmpeg is needed).
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    BenchLiveCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> argv) throws IOException, InterruptedException {
        Args args = ServeCommand.parse(argv, Set.of("rtsp"), "cameras", "fps", "still", "viewers", "seconds", "warmup");
        boolean rtsp = args.flag("rtsp");
        int viewers = args.value("viewers").map(v -> Args.parseInt("--viewers", v)).orElse(1);
        if (viewers != 0 && viewers != 1) {
            throw new UsageException("--viewers must be 0 or 1, was " + viewers);
        }
        int n = args.value("cameras").map(v -> Args.parseInt("--cameras", v)).orElse(8);
        double fps = args.value("fps").map(v -> (double) Args.parseFloat("--fps", v)).orElse(10.0);
        int still = args.value("still").map(v -> Args.parseInt("--still", v)).orElse(0);
        if (still < 0 || still > n) {
            throw new UsageException("--still must be between 0 and the number of cameras (" + n + "), was " + still);
        }
        int seconds = args.value("seconds").map(v -> Args.parseInt("--seconds", v)).orElse(60);
        int warmup = args.value("warmup").map(v -> Args.parseInt("--warmup", v)).orElse(10);
        Settings s = ServeCommand.settings(args, env);
        s.set("mdns.enabled", "false", "demo: the simulated cameras are on loopback, nothing to announce to");
        s.set("server.port", "0", "bench-live");
        s.set("server.host", "127.0.0.1", "bench-live");
        s.set("auth.liveView", "open", "bench-live on loopback: its viewer watches without logging in");
        if (args.value("data").isEmpty()) {
            s.set("server.dataDir", Files.createTempDirectory("camserver-bench").toString(), "bench-live");
        }
        ServerConfig cfg = ServerConfig.from(s);
        OpenCvRuntime.load();
        ModelStore store = new ModelStore(cfg.server().modelsDir(), true, m -> err.println("camserver: " + m));
        List<byte[]> photos = new ArrayList<>();
        for (Path p : store.ensure(ModelCatalog.FACE_API_SAMPLES)) {
            photos.add(CameraFrames.toFrame(Files.readAllBytes(p), p.toString()));
        }
        if (rtsp && still > 0) {
            throw new UsageException("--still is for the simulated MJPEG cameras, not --rtsp");
        }
        Path rtspVideo = rtsp ? rtspVideo(photos, fps, cfg.ingest().ffmpeg(), warmup + seconds + 30) : null;
        CamServer server = CamServer.start(cfg, env, m -> err.println("camserver: " + m));
        List<Process> rtspServers = new ArrayList<>();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        List<SimulatedCamera> cams = new ArrayList<>();
        Set<String> stillIps = new HashSet<>();
        try {
            if (rtsp) {
                // GStreamer's RTSP server (the same script the tests use) serves the file, one pipeline per client.
                Path script = rtspVideo.resolveSibling("rtsp-server.py");
                try (InputStream in = BenchLiveCommand.class.getResourceAsStream("/rtsp-server.py")) {
                    Files.write(script, in.readAllBytes());
                }
                Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "0", "live=" + rtspVideo).redirectErrorStream(true).start();
                rtspServers.add(p);
                java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
                String line = r.readLine();
                if (line == null || !line.startsWith("READY ")) {
                    throw new IOException("--rtsp needs GStreamer's RTSP server (Debian: python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 "
                            + "gstreamer1.0-plugins-good); it said: " + line);
                }
                Thread.ofVirtual().start(() -> r.lines().forEach(l -> { }));
                URI url = URI.create("rtsp://127.0.0.1:" + line.substring(6).trim() + "/live");
                for (int i = 0; i < n; i++) {
                    server.registry().add(String.format(Locale.ROOT, "rtsp-%02d", i), new io.camserver.ingest.CameraRegistry.Source(url,
                            io.camserver.ingest.CameraSpec.Kind.RTSP, Duration.ofMillis(500),
                            new io.camserver.ingest.rtsp.RtspSource.Options(cfg.ingest().ffmpeg(), false, fps, 1280), false, false),
                            io.camserver.ingest.Camera.Origin.CONFIG);
                }
            }
            for (int i = 0; i < n && !rtsp; i++) {
                List<byte[]> feed = new ArrayList<>();
                InetAddress own = SimulatedCamera.loopback(cams.size());
                if (i < still) {
                    feed.addAll(CameraFrames.stillScene(photos.get(i % photos.size()), 8));
                    stillIps.add(own.getHostAddress());
                } else {
                    // each moving camera starts on a different photo so the load is mixed
                    for (int j = 0; j < photos.size(); j++) {
                        feed.add(photos.get((i + j) % photos.size()));
                    }
                }
                cams.add(new SimulatedCamera(feed, fps, 0, base, own.getHostAddress(), Duration.ofSeconds(15), own).start());
            }
            Thread viewer = viewers == 0 ? null : Thread.ofVirtual().start(() -> drain(base.resolve("/video_feed")));
            out.printf(Locale.ROOT, "bench-live: %d cameras x %.0f fps (%s, real group photos, %d of them still), %s, "
                    + "%d analysis workers, %d cores, detector %s, motion gating %s, warm-up %d s, then %d s measured%n", n, fps,
                    rtsp ? "RTSP, 640x360 H.264, a new photo every second" : "640x480 JPEG q90", still,
                    viewers == 0 ? "nobody watching" : "one viewer on /video_feed", cfg.analysis().workers(),
                    Runtime.getRuntime().availableProcessors(), cfg.vision().detector().kind().id(),
                    cfg.analysis().motion().enabled() ? "on" : "off", warmup, seconds);
            Thread.sleep(warmup * 1000L);
            out.printf(Locale.ROOT, "%6s %10s %10s %10s %8s %8s %8s %7s %8s%n", "t s", "in fps", "analysed", "dropped", "p50 ms", "p95 ms",
                    "p99 ms", "cpu", "rss MiB");
            Sample start = sample(server, stillIps);
            Sample prev = start;
            server.metrics().recentLatency().clear();
            long rssFirst = -1;
            long rssMax = 0;
            for (int t = 10; t <= seconds; t += 10) {
                Thread.sleep(10_000);
                Sample now = sample(server, stillIps);
                double dt = (now.nanos - prev.nanos) / 1e9;
                double[] p = server.metrics().recentLatency().percentilesMillis(0.5, 0.95, 0.99);
                long rss = rssKiB() >> 10;
                rssFirst = rssFirst < 0 ? rss : rssFirst;
                rssMax = Math.max(rssMax, rss);
                out.printf(Locale.ROOT, "%6d %10.1f %10.1f %10.1f %8.0f %8.0f %8.0f %6.2f %8d%n", t, (now.received - prev.received) / dt,
                        (now.analysed - prev.analysed) / dt, (now.dropped - prev.dropped) / dt, p[0], p[1], p[2],
                        (now.cpuNanos - prev.cpuNanos) / (now.nanos - prev.nanos + 0.0), rss);
                prev = now;
            }
            Sample end = prev;
            double dt = (end.nanos - start.nanos) / 1e9;
            double[] p = server.metrics().recentLatency().percentilesMillis(0.5, 0.95, 0.99);
            double minPerCamera = Double.MAX_VALUE;
            double minMoving = Double.MAX_VALUE;
            double minStill = Double.MAX_VALUE;
            for (var e : end.analysedPerCamera.entrySet()) {
                double rate = (e.getValue() - start.analysedPerCamera.getOrDefault(e.getKey(), 0L)) / dt;
                minPerCamera = Math.min(minPerCamera, rate);
                if (end.stillCameras.contains(e.getKey())) {
                    minStill = Math.min(minStill, rate);
                } else {
                    minMoving = Math.min(minMoving, rate);
                }
            }
            double cpuSeconds = (end.cpuNanos - start.cpuNanos) / 1e9;
            double offered = (end.received - start.received) / dt;
            out.printf(Locale.ROOT, "total: in %.1f fps, analysed %.1f fps (%.1f per camera, min %.1f per camera), dropped %.1f fps; "
                    + "latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (last %d frames); cpu %.2f cores, %.1f frames analysed per CPU-second; "
                    + "rss %d -> %d MiB (max %d)%n",
                    offered, (end.analysed - start.analysed) / dt, (end.analysed - start.analysed) / dt / n,
                    minPerCamera == Double.MAX_VALUE ? 0 : minPerCamera, (end.dropped - start.dropped) / dt, p[0], p[1], p[2],
                    server.metrics().recentLatency().size(), cpuSeconds / dt, (end.analysed - start.analysed) / Math.max(1e-9, cpuSeconds),
                    rssFirst, rssKiB() >> 10, rssMax);
            StringBuilder stages = new StringBuilder("stages since start (mean ms x runs):");
            for (String stage : List.of("motion", "decode", "decode.full", "detect", "embed", "annotate", "encode", "mosaic", "mosaic.encode")) {
                var timer = server.metrics().stage(stage);
                stages.append(String.format(Locale.ROOT, " %s %.2f x %d,", stage, timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                        timer.count()));
            }
            out.println(stages.substring(0, stages.length() - 1));
            if (rtsp) {
                double decode = (end.decodeCpuSeconds - start.decodeCpuSeconds) / dt;
                out.printf(Locale.ROOT, "rtsp: camserver's ffmpeg readers (ingest, H.264 decode, JPEG re-encode) used %.2f cores in all, "
                        + "%.1f %% of a core per camera at %.0f fps, beside the server's own %.2f cores%n", decode, 100 * decode / n, fps,
                        cpuSeconds / dt);
            }
            if (still > 0) {
                long stillFrames = end.stillFrames - start.stillFrames;
                out.printf(Locale.ROOT, "still scenes: moving cameras (%d) min %.1f per camera, still cameras (%d) min %.1f per camera; "
                        + "%.1f fps found still (detector skipped), %.1f fps through the detector%n", n - still,
                        minMoving == Double.MAX_VALUE ? 0 : minMoving, still, minStill == Double.MAX_VALUE ? 0 : minStill, stillFrames / dt,
                        (end.analysed - start.analysed - stillFrames) / dt);
            }
            if (offered < 0.9 * n * fps) {
                // The simulated cameras share this machine with the server: past some load they cannot send what was asked.
                out.printf(Locale.ROOT, "note: the simulated cameras offered %.1f fps, not the %.0f asked (%d x %.0f): the figures above are "
                        + "for the load offered%n", offered, n * fps, n, fps);
            }
            if (viewer != null) {
                viewer.interrupt();
            }
        } finally {
            cams.forEach(SimulatedCamera::close);
            server.close();
            rtspServers.forEach(Process::destroyForcibly);
        }
        return 0;
    }

    /** The group photos as 640x360 H.264 at {@code fps}, one photo a second, a key frame every second. */
    private static Path rtspVideo(List<byte[]> photos, double fps, String ffmpeg, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("camserver-bench-rtsp");
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < photos.size(); i++) {
            Files.write(dir.resolve("p" + i + ".jpg"), photos.get(i));
        }
        // Long enough for the whole run: at its end the server ends the stream (and the cameras reconnect).
        for (int s = 0; s < seconds; s++) {
            list.append("file '").append(dir.resolve("p" + (s % photos.size()) + ".jpg")).append("'\nduration 1\n");
        }
        list.append("file '").append(dir.resolve("p" + (photos.size() - 1) + ".jpg")).append("'\n");
        Files.writeString(dir.resolve("list.txt"), list);
        Path out = dir.resolve("bench.mp4");
        Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-y", "-v", "error", "-f", "concat", "-safe", "0", "-i", dir.resolve("list.txt").toString(),
                "-vf", String.format(Locale.ROOT, "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,"
                        + "format=yuv420p,fps=%s", fps), "-c:v", "libx264", "-preset", "veryfast", "-g", String.valueOf(Math.max(1, Math.round(fps))),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg could not make the RTSP bench video: " + log);
        }
        return out;
    }

    private record Sample(long nanos, long received, long analysed, long stillFrames, long dropped, long cpuNanos,
                          Map<String, Long> analysedPerCamera, Set<String> stillCameras, double decodeCpuSeconds) {
    }

    private static Sample sample(CamServer server, Set<String> stillIps) {
        long received = 0;
        long analysed = 0;
        long dropped = 0;
        long stillFrames = 0;
        Map<String, Long> perCamera = new HashMap<>();
        Set<String> stillCameras = new HashSet<>();
        for (Camera c : server.registry().cameras()) {
            if (c.address().map(hp -> stillIps.contains(hp.address().getHostAddress())).orElse(false)) {
                stillCameras.add(c.id());
            }
            stillFrames += server.analysis().stats(c.id()).map(x -> x.still()).orElse(0L);
            received += c.slot().offered();
            dropped += c.slot().dropped();
            long a = server.analysis().stats(c.id()).map(x -> x.analysed()).orElse(0L);
            analysed += a;
            perCamera.put(c.id(), a);
        }
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        double decode = server.metrics().registry().find("camserver.camera.decode.cpu.seconds").functionCounters().stream()
                .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum();
        return new Sample(System.nanoTime(), received, analysed, stillFrames, dropped, cpu, perCamera, stillCameras, decode);
    }

    private static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void drain(URI uri) {
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            // server stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
