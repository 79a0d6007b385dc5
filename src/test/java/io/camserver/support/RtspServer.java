package io.camserver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server: GStreamer's gst-rtsp-server (Debian's python3-gst-1.0 and
 * gir1.2-gst-rtsp-server-1.0, installed by .ci/install-deps.sh) serving MP4 files on a loopback
 * port of its own, optionally behind a user and password; see src/test/resources/rtsp-server.py.
 * Files are made by {@link #video} with the ffmpeg program from still pictures.
 */
public final class RtspServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private RtspServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts serving {@code mounts} (path without slash -> file) on {@code port} (0: any free one). */
    public static RtspServer start(Path dir, int port, String userColonPassword, Map<String, Path> mounts) throws Exception {
        Path script = dir.resolve("rtsp-server.py");
        try (var in = RtspServer.class.getResourceAsStream("/rtsp-server.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), String.valueOf(port)));
        if (userColonPassword != null) {
            cmd.add("--user");
            cmd.add(userColonPassword);
        }
        mounts.forEach((m, f) -> cmd.add(m + "=" + f));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                int bound = Integer.parseInt(line.substring(6).trim());
                Thread.ofVirtual().start(() -> r.lines().forEach(l -> { }));
                return new RtspServer(p, bound);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("RTSP server did not start: " + seen);
    }

    public int port() {
        return port;
    }

    public String url(String mount, String userColonPassword) {
        return "rtsp://" + (userColonPassword == null ? "" : userColonPassword + "@") + "127.0.0.1:" + port + "/" + mount;
    }

    /**
     * An MP4 of {@code pictures}, each shown for {@code secondsEach}, in a 640x360 frame at 10 fps,
     * encoded with {@code codec} (libx264 or libx265), a key frame every second.
     */
    public static Path video(Path dir, String name, List<Path> pictures, double secondsEach, String codec, int loops) throws Exception {
        Path list = dir.resolve(name + ".txt");
        StringBuilder concat = new StringBuilder();
        for (int l = 0; l < loops; l++) {
            for (Path p : pictures) {
                concat.append("file '").append(p.toAbsolutePath()).append("'\nduration ").append(secondsEach).append('\n');
            }
        }
        concat.append("file '").append(pictures.get(pictures.size() - 1).toAbsolutePath()).append("'\n");
        Files.writeString(list, concat);
        Path out = dir.resolve(name + ".mp4");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-v", "error", "-f", "concat", "-safe", "0", "-i", list.toString(),
                "-vf", "scale=-2:300,pad=640:360:(ow-iw)/2:(oh-ih)/2,format=yuv420p,fps=10", "-c:v", codec, "-g", "10"));
        if (codec.equals("libx265")) {
            cmd.addAll(List.of("-x265-params", "log-level=error"));
        }
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg could not make " + out + ": " + log);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
