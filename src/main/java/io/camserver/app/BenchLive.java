package io.camserver.app;

import io.camserver.ingest.Camera;
import io.camserver.metrics.Metrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One measured bench-live run: a fresh server in this process, its simulated cameras and viewer in
 * a child process ({@code camserver bench-cameras}), so the server's CPU (this process: its Java
 * threads and the native inference they run) is measured apart from the harness's. Prints a line
 * every 10 s and returns the run's figures.
 */
final class BenchLive {
    /** What one run measured over its measured window. */
    record Result(int cameras, double offeredFps, double analysedFps, double minCameraFps, double meanCameraFps, double droppedFps,
                  double serverCores, double harnessCores, double latencyP50, double latencyP95, double decisionP50, double decisionP95,
                  int decisions, double mosaicCores, Map<String, double[]> stages, Map<String, Double> threadCores, long rssMaxMiB) {
        /** Frames analysed per CPU-second of the server. */
        double perServerCpuSecond() {
            return analysedFps / Math.max(1e-9, serverCores);
        }

        /** The slowest camera's analysed rate against the mean: 1 is perfectly even. */
        double fairness() {
            return meanCameraFps <= 0 ? 0 : minCameraFps / meanCameraFps;
        }
    }

    /** Stages whose wall and CPU time the run reports (ms per run of the stage). */
    static final List<String> STAGES = List.of("decode", "decode.full", "detect", "embed", "annotate", "encode", "mosaic", "mosaic.encode");

    private BenchLive() {
    }

    static Result run(ServerConfig cfg, Map<String, String> env, int cameras, double fps, int still, boolean viewer, int warmup, int seconds,
                      PrintStream out, PrintStream err) throws IOException, InterruptedException {
        CamServer server = CamServer.start(cfg, env, m -> err.println("camserver: " + m));
        Process harness = null;
        try {
            harness = harness(URI.create("http://127.0.0.1:" + server.port()), cfg.server().modelsDir(), cameras, fps, still, viewer);
            Thread.sleep(warmup * 1000L);
            out.printf(Locale.ROOT, "%6s %5s %10s %10s %10s %8s %8s %8s %8s %8s%n", "t s", "cams", "in fps", "analysed", "dropped", "p50 ms", "p95 ms",
                    "server", "harness", "rss MiB");
            Sample start = sample(server, harness);
            Sample prev = start;
            server.metrics().recentLatency().clear();
            server.metrics().recentTimeToDecision().clear();
            long rssMax = 0;
            for (int t = 10; t <= seconds; t += 10) {
                Thread.sleep(10_000);
                Sample now = sample(server, harness);
                double dt = (now.nanos - prev.nanos) / 1e9;
                double[] p = server.metrics().recentLatency().percentilesMillis(0.5, 0.95);
                long rss = rssKiB() >> 10;
                rssMax = Math.max(rssMax, rss);
                out.printf(Locale.ROOT, "%6d %5d %10.1f %10.1f %10.1f %8.0f %8.0f %8.2f %8.2f %8d%n", t, cameras, (now.received - prev.received) / dt,
                        (now.analysed - prev.analysed) / dt, (now.dropped - prev.dropped) / dt, p[0], p[1],
                        (now.serverCpu - prev.serverCpu) / (now.nanos - prev.nanos + 0.0), (now.harnessCpu - prev.harnessCpu) / (now.nanos - prev.nanos + 0.0),
                        rss);
                prev = now;
            }
            Sample end = prev;
            double dt = (end.nanos - start.nanos) / 1e9;
            double min = Double.MAX_VALUE;
            double sum = 0;
            for (var e : end.perCamera.entrySet()) {
                double rate = (e.getValue() - start.perCamera.getOrDefault(e.getKey(), 0L)) / dt;
                min = Math.min(min, rate);
                sum += rate;
            }
            double[] lat = server.metrics().recentLatency().percentilesMillis(0.5, 0.95);
            double[] dec = server.metrics().recentTimeToDecision().percentilesMillis(0.5, 0.95);
            Map<String, double[]> stages = new HashMap<>();
            for (String s : STAGES) {
                stages.put(s, stageFigures(server.metrics(), s, start, end));
            }
            double mosaicCpu = (end.stageCpuNanos.getOrDefault("mosaic", 0L) - start.stageCpuNanos.getOrDefault("mosaic", 0L)) / 1e9;
            Map<String, Double> threads = new java.util.TreeMap<>();
            double seen = 0;
            for (var e : end.threadCpu.entrySet()) {
                double cores = (e.getValue() - start.threadCpu.getOrDefault(e.getKey(), 0L)) / 1e9 / dt;
                threads.put(e.getKey(), cores);
                seen += cores;
            }
            // What no Java thread accounts for: the collector, the JIT, native threads of the JVM.
            threads.put("jvm (gc, jit)", Math.max(0, (end.serverCpu - start.serverCpu) / 1e9 / dt - seen));
            return new Result(cameras, (end.received - start.received) / dt, (end.analysed - start.analysed) / dt,
                    end.perCamera.isEmpty() ? 0 : min, end.perCamera.isEmpty() ? 0 : sum / end.perCamera.size(), (end.dropped - start.dropped) / dt,
                    (end.serverCpu - start.serverCpu) / 1e9 / dt, (end.harnessCpu - start.harnessCpu) / 1e9 / dt, lat[0], lat[1], dec[0], dec[1],
                    server.metrics().recentTimeToDecision().size(), mosaicCpu / dt, stages, threads, rssMax);
        } finally {
            if (harness != null) {
                harness.getOutputStream().close(); // its end of the pipe: the harness stops
                if (!harness.waitFor(10, TimeUnit.SECONDS)) {
                    harness.destroyForcibly();
                }
            }
            server.close();
        }
    }

    /** Starts {@code camserver bench-cameras} with this JVM's runtime and class path, and waits for it to say READY. */
    private static Process harness(URI base, Path modelsDir, int cameras, double fps, int still, boolean viewer) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "bench-cameras", "--register", base.toString(), "--cameras", String.valueOf(cameras),
                "--fps", String.valueOf(fps), "--still", String.valueOf(still), "--models-dir", modelsDir.toString()));
        if (viewer) {
            cmd.add("--viewer");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"READY".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the simulated cameras did not start (bench-cameras said: " + line + ")");
        }
        Thread.ofVirtual().start(() -> r.lines().forEach(l -> { }));
        return p;
    }

    /** {wall ms per run, CPU ms per run (NaN where not measured), runs} over the window. */
    private static double[] stageFigures(Metrics m, String stage, Sample start, Sample end) {
        long runs = end.stageRuns.getOrDefault(stage, 0L) - start.stageRuns.getOrDefault(stage, 0L);
        double wall = (end.stageWallNanos.getOrDefault(stage, 0L) - start.stageWallNanos.getOrDefault(stage, 0L)) / 1e6;
        Long cpuEnd = end.stageCpuNanos.get(stage);
        long cpuRuns = end.stageCpuRuns.getOrDefault(stage, 0L) - start.stageCpuRuns.getOrDefault(stage, 0L);
        double cpu = cpuEnd == null || cpuRuns == 0 ? Double.NaN : (cpuEnd - start.stageCpuNanos.getOrDefault(stage, 0L)) / 1e6 / cpuRuns;
        return new double[] {runs == 0 ? 0 : wall / runs, cpu, runs};
    }

    private record Sample(long nanos, long received, long analysed, long dropped, long serverCpu, long harnessCpu, Map<String, Long> perCamera,
                          Map<String, Long> stageRuns, Map<String, Long> stageWallNanos, Map<String, Long> stageCpuRuns,
                          Map<String, Long> stageCpuNanos, Map<String, Long> threadCpu) {
    }

    /** The server's threads by what they do (their names), for the CPU breakdown. */
    private static String group(String thread) {
        if (thread.startsWith("analysis-")) {
            return "analysis workers";
        }
        if (thread.equals("mosaic")) {
            return "mosaic";
        }
        if (thread.startsWith("pull-") || thread.startsWith("ffmpeg-") || thread.equals("camera-maintenance")) {
            return "ingest";
        }
        if (thread.startsWith("ForkJoinPool")) {
            return "virtual threads (http, ingest, events)";
        }
        if (thread.startsWith("history") || thread.equals("sighting-index") || thread.equals("relabeller") || thread.startsWith("webhook")) {
            return "history and integrations";
        }
        if (thread.startsWith("qtp") || thread.startsWith("Jetty") || thread.startsWith("JavalinServlet")) {
            return "http";
        }
        return "other";
    }

    /** CPU nanoseconds by thread group, from every live thread of this JVM that reports it. */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long cpu = mx.getThreadCpuTime(t.getThreadId());
                if (cpu > 0) {
                    out.merge(group(t.getThreadName()), cpu, Long::sum);
                }
            }
        }
        return out;
    }

    private static Sample sample(CamServer server, Process harness) {
        long received = 0;
        long analysed = 0;
        long dropped = 0;
        Map<String, Long> perCamera = new HashMap<>();
        for (Camera c : server.registry().cameras()) {
            received += c.slot().offered();
            dropped += c.slot().dropped();
            long a = server.analysis().stats(c.id()).map(x -> x.analysed()).orElse(0L);
            analysed += a;
            perCamera.put(c.id(), a);
        }
        Map<String, Long> runs = new HashMap<>();
        Map<String, Long> wall = new HashMap<>();
        Map<String, Long> cpuRuns = new HashMap<>();
        Map<String, Long> cpu = new HashMap<>();
        for (String s : STAGES) {
            var t = server.metrics().stage(s);
            runs.put(s, t.count());
            wall.put(s, (long) t.totalTime(TimeUnit.NANOSECONDS));
            var c = server.metrics().stageCpuTimer(s);
            if (c != null) {
                cpuRuns.put(s, c.count());
                cpu.put(s, (long) c.totalTime(TimeUnit.NANOSECONDS));
            }
        }
        long serverCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long harnessCpu = harness.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return new Sample(System.nanoTime(), received, analysed, dropped, serverCpu, harnessCpu, perCamera, runs, wall, cpuRuns, cpu, threadCpu());
    }

    static long rssKiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
