package io.camserver.app;

import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.sim.CameraFrames;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code camserver bench-live}: the whole live server under N simulated cameras, measured: the
 * server in this process, the cameras and the viewer in a child ({@link BenchLive}), so the
 * server's CPU is the server's alone. {@code --rtsp} reads RTSP cameras through camserver's own
 * FFmpeg children instead.
 */
final class BenchLiveCommand {
    static final String USAGE = """
            usage: camserver bench-live [--cameras N | --curve 4,8,16,32] [--fps F] [--still N] [--viewers 0|1] [--rtsp] [--seconds S]
                                        [--warmup S] [serve options]
              Starts the server with N simulated cameras (default 8) at F fps (default 10), 640x480 real group
              photos, one viewer on /video_feed, and prints analysed and dropped frame rates, latency from
              frame arrival to annotated frame (p50/p95), the server's CPU and the harness's apart (the cameras
              and the viewer run in a child process), and resident memory every 10 s; then frames analysed per
              server CPU-second, the slowest camera against the mean, the time from a face's first frame to its
              track's decision (p50/p95), the mosaic's share of a core, and each stage's wall and CPU time.
              --curve 4,8,16,32: one run per camera count, a fresh server each, then the table of all of them
              with each figure as a ratio of the first run's.
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
        Args args = ServeCommand.parse(argv, Set.of("rtsp"), "cameras", "fps", "still", "viewers", "seconds", "warmup", "curve");
        boolean rtsp = args.flag("rtsp");
        int viewers = args.value("viewers").map(v -> Args.parseInt("--viewers", v)).orElse(1);
        if (viewers != 0 && viewers != 1) {
            throw new UsageException("--viewers must be 0 or 1, was " + viewers);
        }
        List<Integer> counts = args.value("curve").map(v -> java.util.Arrays.stream(v.split(",")).map(x -> Args.parseInt("--curve", x.trim())).toList())
                .orElseGet(() -> List.of(args.value("cameras").map(v -> Args.parseInt("--cameras", v)).orElse(8)));
        int n = counts.get(0);
        double fps = args.value("fps").map(v -> (double) Args.parseFloat("--fps", v)).orElse(10.0);
        int still = args.value("still").map(v -> Args.parseInt("--still", v)).orElse(0);
        for (int c : counts) {
            if (c < 1 || c > 200 || still < 0 || still > c) {
                throw new UsageException("cameras must be 1..200 and --still between 0 and the cameras (was " + c + " cameras, " + still + " still)");
            }
        }
        if (rtsp && (still > 0 || counts.size() > 1)) {
            throw new UsageException("--still and --curve are for the simulated MJPEG cameras, not --rtsp");
        }
        int seconds = args.value("seconds").map(v -> Args.parseInt("--seconds", v)).orElse(counts.size() > 1 ? 30 : 60);
        int warmup = args.value("warmup").map(v -> Args.parseInt("--warmup", v)).orElse(counts.size() > 1 ? 15 : 10);
        Settings s = ServeCommand.settings(args, env);
        s.set("mdns.enabled", "false", "demo: the simulated cameras are on loopback, nothing to announce to");
        s.set("server.port", "0", "bench-live");
        s.set("server.host", "127.0.0.1", "bench-live");
        s.set("auth.liveView", "open", "bench-live on loopback: its viewer watches without logging in");
        boolean ownData = args.value("data").isEmpty();
        OpenCvRuntime.load();
        if (rtsp) {
            if (ownData) {
                s.set("server.dataDir", Files.createTempDirectory("camserver-bench").toString(), "bench-live");
            }
            return runRtsp(ServerConfig.from(s), n, fps, viewers, warmup, seconds);
        }
        List<BenchLive.Result> results = new ArrayList<>();
        for (int cameras : counts) {
            if (ownData) {
                s.set("server.dataDir", Files.createTempDirectory("camserver-bench").toString(), "bench-live: a fresh server each run");
            }
            ServerConfig cfg = ServerConfig.from(s);
            out.printf(Locale.ROOT, "bench-live: %d cameras x %.0f fps (640x480 JPEG q90, real group photos, %d of them still), %s, "
                    + "%d analysis workers, %d cores, detector %s, motion gating %s; cameras and viewer in a child process; "
                    + "warm-up %d s, then %d s measured%n", cameras, fps, still, viewers == 0 ? "nobody watching" : "one viewer on /video_feed",
                    cfg.analysis().workers(), Runtime.getRuntime().availableProcessors(), cfg.vision().detector().kind().id(),
                    cfg.analysis().motion().enabled() ? "on" : "off", warmup, seconds);
            BenchLive.Result r = BenchLive.run(cfg, env, cameras, fps, still, viewers == 1, warmup, seconds, out, err);
            results.add(r);
            summary(r);
            if (r.offeredFps() < 0.9 * cameras * fps) {
                out.printf(Locale.ROOT, "note: the simulated cameras offered %.1f fps, not the %.0f asked (%d x %.0f): the figures above are "
                        + "for the load offered%n", r.offeredFps(), cameras * fps, cameras, fps);
            }
        }
        if (results.size() > 1) {
            curve(results);
        }
        return 0;
    }

    private void summary(BenchLive.Result r) {
        out.printf(Locale.ROOT, "total: in %.1f fps, analysed %.1f fps (mean %.2f, slowest %.2f per camera: %.2f of the mean), dropped %.1f fps; "
                + "latency p50 %.0f ms, p95 %.0f ms; server %.2f cores, %.1f frames analysed per server CPU-second; harness %.2f cores; "
                + "first frame to decision p50 %.0f ms, p95 %.0f ms (%d decisions); mosaic %.1f %% of a core; rss max %d MiB%n",
                r.offeredFps(), r.analysedFps(), r.meanCameraFps(), r.minCameraFps(), r.fairness(), r.droppedFps(), r.latencyP50(), r.latencyP95(),
                r.serverCores(), r.perServerCpuSecond(), r.harnessCores(), r.decisionP50(), r.decisionP95(), r.decisions(), 100 * r.mosaicCores(),
                r.rssMaxMiB());
        StringBuilder st = new StringBuilder("stages (wall / CPU ms per run, runs):");
        for (String stage : BenchLive.STAGES) {
            double[] f = r.stages().get(stage);
            if (f[2] > 0) {
                st.append(String.format(Locale.ROOT, " %s %.2f / %s x %d,", stage, f[0], Double.isNaN(f[1]) ? "-" : String.format(Locale.ROOT, "%.2f", f[1]),
                        (long) f[2]));
            }
        }
        out.println(st.substring(0, st.length() - 1));
        StringBuilder th = new StringBuilder("server CPU by thread (cores):");
        r.threadCores().forEach((k, v) -> th.append(String.format(Locale.ROOT, " %s %.2f,", k, v)));
        out.println(th.substring(0, th.length() - 1));
    }

    /** The curve: one row per camera count, each figure also as a ratio of the first row's. */
    private void curve(List<BenchLive.Result> results) {
        BenchLive.Result base = results.get(0);
        out.printf(Locale.ROOT, "%ncurve (ratios against %d cameras in brackets; one run each on this machine)%n", base.cameras());
        out.printf(Locale.ROOT, "| cameras | analysed fps | server cores | frames per server CPU-s | harness cores | slowest / mean "
                + "| decision p50 / p95 ms | mosaic %% of a core |%n|---|---|---|---|---|---|---|---|%n");
        for (BenchLive.Result r : results) {
            out.printf(Locale.ROOT, "| %d | %.1f (%.2f) | %.2f | %.1f (%.2f) | %.2f | %.2f | %.0f / %.0f | %.1f |%n", r.cameras(), r.analysedFps(),
                    r.analysedFps() / base.analysedFps(), r.serverCores(), r.perServerCpuSecond(), r.perServerCpuSecond() / base.perServerCpuSecond(),
                    r.harnessCores(), r.fairness(), r.decisionP50(), r.decisionP95(), 100 * r.mosaicCores());
        }
    }

    /** RTSP cameras: camserver's own FFmpeg readers, fed by GStreamer's RTSP server (both outside this JVM). */
    private int runRtsp(ServerConfig cfg, int n, double fps, int viewers, int warmup, int seconds) throws IOException, InterruptedException {
        ModelStore store = new ModelStore(cfg.server().modelsDir(), true, m -> err.println("camserver: " + m));
        List<byte[]> photos = new ArrayList<>();
        for (Path p : store.ensure(ModelCatalog.FACE_API_SAMPLES)) {
            photos.add(CameraFrames.toFrame(Files.readAllBytes(p), p.toString()));
        }
        Path rtspVideo = rtspVideo(photos, fps, cfg.ingest().ffmpeg(), warmup + seconds + 30);
        CamServer server = CamServer.start(cfg, env, m -> err.println("camserver: " + m));
        Process rtspServer = null;
        URI base = URI.create("http://127.0.0.1:" + server.port());
        try {
            // GStreamer's RTSP server (the same script the tests use) serves the file, one pipeline per client.
            Path script = rtspVideo.resolveSibling("rtsp-server.py");
            try (InputStream in = BenchLiveCommand.class.getResourceAsStream("/rtsp-server.py")) {
                Files.write(script, in.readAllBytes());
            }
            rtspServer = new ProcessBuilder("/usr/bin/python3", script.toString(), "0", "live=" + rtspVideo).redirectErrorStream(true).start();
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(rtspServer.getInputStream()));
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
            Thread viewer = viewers == 0 ? null : Thread.ofVirtual().start(() -> BenchCamerasCommand.drain(base.resolve("/video_feed")));
            out.printf(Locale.ROOT, "bench-live: %d RTSP cameras, 640x360 H.264 at %.0f fps (a new photo every second), %s, %d analysis workers, "
                    + "%d cores; warm-up %d s, then %d s measured%n", n, fps, viewers == 0 ? "nobody watching" : "one viewer on /video_feed",
                    cfg.analysis().workers(), Runtime.getRuntime().availableProcessors(), warmup, seconds);
            Thread.sleep(warmup * 1000L);
            double decode0 = decodeCpu(server);
            long cpu0 = processCpu();
            long analysed0 = analysed(server);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double dt = (System.nanoTime() - t0) / 1e9;
            double decode = (decodeCpu(server) - decode0) / dt;
            double cpu = (processCpu() - cpu0) / 1e9 / dt;
            out.printf(Locale.ROOT, "total: analysed %.1f fps; server %.2f cores; rtsp: camserver's ffmpeg readers (ingest, H.264 decode, JPEG "
                    + "re-encode) used %.2f cores in all, %.1f %% of a core per camera at %.0f fps%n", (analysed(server) - analysed0) / dt, cpu, decode,
                    100 * decode / n, fps);
            if (viewer != null) {
                viewer.interrupt();
            }
        } finally {
            server.close();
            if (rtspServer != null) {
                rtspServer.destroyForcibly();
            }
        }
        return 0;
    }

    private static long analysed(CamServer server) {
        return server.registry().cameras().stream().mapToLong(c -> server.analysis().stats(c.id()).map(x -> x.analysed()).orElse(0L)).sum();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double decodeCpu(CamServer server) {
        return server.metrics().registry().find("camserver.camera.decode.cpu.seconds").functionCounters().stream()
                .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum();
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
}
