package io.camserver.ingest.rtsp;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP camera (H.264, H.265, or anything else FFmpeg decodes), read through the {@code ffmpeg}
 * program as a child process, as Frigate does: FFmpeg connects, depacketises and decodes, and
 * writes the frames to its stdout as JPEGs, which feed the same pipeline as an ESP32's MJPEG (the
 * one-frame slot, motion gating, the detector's reduced decode). A separate process keeps a
 * decoder crash, a leak or a hang in the codec libraries away from the server, costs no JNI, and
 * is the same Debian package on x86_64 and arm64.
 *
 * <p>One {@link #open} is one connection: one child. Closing the feed ends the child (TERM, then
 * KILL after a second) and waits for it; every live child is also ended when the JVM exits
 * normally, and a child whose parent died gets EPIPE on its next write and exits. Frames are
 * capped at {@code fps} (FFmpeg drops the rest before encoding them) and at 1280 px wide (a
 * camera's main stream is more than detection needs; use its substream).
 *
 * <p>What went wrong is told from FFmpeg's error output in our own words ("wrong credentials
 * (401)"), never by echoing it: the text can carry what a hostile camera sent.
 */
public final class RtspSource implements FrameFeed.Opener {
    private static final Logger log = LoggerFactory.getLogger(RtspSource.class);
    /** How FFmpeg is run for this camera. */
    public record Options(String ffmpeg, boolean udp, double fps, int maxWidth) {
        public static final Options DEFAULT = new Options("ffmpeg", false, 10, 1280);

        public Options {
            Objects.requireNonNull(ffmpeg, "ffmpeg");
            if (!(fps > 0 && fps <= 60)) {
                throw new IllegalArgumentException("fps must be in (0, 60] (was " + fps + ")");
            }
        }
    }

    private final String cameraId;
    private final URI url;
    private final IngestLimits limits;
    private final Options options;
    /** CPU time of children that have ended, plus the current one's at each reading. */
    private final AtomicLong endedCpuNanos = new AtomicLong();
    private final FfmpegChildren children;
    private volatile Process current;

    /** @param children the server's FFmpeg children, which this camera's join */
    public RtspSource(String cameraId, URI url, IngestLimits limits, Options options, FfmpegChildren children) {
        this.children = Objects.requireNonNull(children, "children");
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.url = Objects.requireNonNull(url, "url");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.options = Objects.requireNonNull(options, "options");
        if (!"rtsp".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("camera " + cameraId + ": url must be rtsp://[user:pass@]host[:port]/path");
        }
    }

    /** Seconds of CPU the camera's FFmpeg children have used (decoding and re-encoding): its ingest cost. */
    public double cpuSeconds() {
        Process p = current;
        long live = p == null ? 0 : cpuNanos(p);
        return (endedCpuNanos.get() + live) / 1e9;
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** The most pixels a camera's frame may have before FFmpeg refuses to decode it: 8K UHD and a margin. */
    static final long MAX_PIXELS = 36_000_000;

    /**
     * The child's command. A camera is not trusted: the decoder gets two threads at most (not
     * one per CPU), refuses frames over {@link #MAX_PIXELS} (a stream announcing a huge frame
     * would otherwise allocate for it), reads the first video stream only, and over UDP accepts
     * packets only from the camera it negotiated with.
     */
    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(options.ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error",
                "-rtsp_transport", options.udp() ? "udp" : "tcp"));
        if (options.udp()) {
            cmd.addAll(List.of("-rtsp_flags", "filter_src"));
        }
        cmd.addAll(List.of(
                // socket I/O timeout, microseconds: a camera that stops answering ends the child
                "-timeout", String.valueOf(limits.readTimeout().toMillis() * 1000),
                "-threads", "2", "-max_pixels", String.valueOf(MAX_PIXELS),
                "-i", url.toString(), "-map", "0:v:0", "-an", "-sn", "-dn",
                "-vf", String.format(Locale.ROOT, "fps=%s,scale='min(%d,iw)':-2", trim(options.fps()), options.maxWidth()),
                "-filter_threads", "1", "-threads", "1",
                "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "4", "-"));
        return cmd;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public FrameFeed open() throws IOException {
        if (url.getRawUserInfo() != null) {
            RtspRedirects.refuseForeign(url, limits.readTimeout()); // FFmpeg would take the credentials along
        }
        children.admit(); // refused, in words, when the server already runs as many as it allows
        Process p;
        try {
            p = new ProcessBuilder(command()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new StreamException("cannot run " + options.ffmpeg() + " to read RTSP (" + e.getMessage()
                    + "); install FFmpeg (Debian: apt-get install ffmpeg)");
        }
        children.started(p);
        preferToBeKilled(p);
        current = p;
        return new Feed(p);
    }

    /**
     * Short of memory, the kernel should end a camera's decoder before the server: the server
     * restarts a child, nobody restarts the server's state. Raising one's own score needs no
     * privilege; where /proc is not writable this is skipped.
     */
    private static void preferToBeKilled(Process p) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "oom_score_adj"), "1000");
        } catch (IOException | RuntimeException e) {
            log.debug("oom_score_adj of ffmpeg {} not set: {}", p.pid(), e.toString());
        }
    }

    /** One child: JPEGs from its stdout, its last error lines kept for the verdict. */
    private final class Feed implements FrameFeed {
        private final Process process;
        private final InputStream out;
        private final ArrayDeque<String> errors = new ArrayDeque<>();
        private final Thread errReader;
        private final long startedNanos = System.nanoTime();
        private long frames;
        private volatile boolean closed;

        Feed(Process process) {
            this.process = process;
            this.out = new BufferedInputStream(process.getInputStream(), 256 << 10);
            this.errReader = Thread.ofVirtual().name("ffmpeg-err-" + cameraId).start(this::drainErrors);
        }

        private void drainErrors() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    line = masked(line);
                    synchronized (errors) {
                        errors.addLast(line.length() > 300 ? line.substring(0, 300) : line);
                        if (errors.size() > 20) {
                            errors.removeFirst();
                        }
                    }
                    log.debug("camera {}: ffmpeg: {}", cameraId, line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }

        @Override
        public Optional<byte[]> next() throws IOException {
            byte[] jpeg;
            try {
                jpeg = JpegStream.next(out, limits.maxPartBytes());
            } catch (IOException e) {
                if (closed) {
                    throw e;
                }
                throw new StreamException(verdict(exitCode(), "the stream broke (" + e.getMessage() + ")"));
            }
            if (jpeg != null) {
                frames++;
                return Optional.of(jpeg);
            }
            int code = exitCode();
            if (code == 0 || closed) {
                return Optional.empty();
            }
            throw new StreamException(verdict(code, null));
        }

        /** Waits (briefly) for the child to exit after its stdout ended, and for its last error lines. */
        private int exitCode() {
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    return -1;
                }
                errReader.join(500);
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private String verdict(int code, String fallback) {
            List<String> lines;
            synchronized (errors) {
                lines = List.copyOf(errors);
            }
            log.debug("camera {}: ffmpeg exited {} with: {}", cameraId, code, lines);
            Optional<String> why = describe(lines);
            // A camera that accepts the connection and then says nothing makes FFmpeg give up at
            // its socket timeout with "invalid data": told apart from real garbage by the wait.
            boolean waitedOut = frames == 0 && System.nanoTime() - startedNanos >= limits.readTimeout().toNanos() * 9 / 10;
            if (waitedOut && why.map(w -> w.startsWith("not a stream")).orElse(true)) {
                return "no answer from the camera (timed out)";
            }
            return why.orElse(fallback != null ? fallback : "stream failed (ffmpeg exit code " + code + ")");
        }

        @Override
        public void close() {
            closed = true;
            endedCpuNanos.addAndGet(cpuNanos(process));
            process.destroy();
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                children.ended(process);
                if (current == process) {
                    current = null;
                }
            }
        }
    }

    /** FFmpeg repeats the URL in its messages: the credentials in it never reach a log. */
    private String masked(String line) {
        String raw = url.getRawUserInfo();
        if (raw == null) {
            return line;
        }
        String decoded = url.getUserInfo();
        String out = line.replace(raw, "***");
        return decoded == null ? out : out.replace(decoded, "***");
    }

    /** FFmpeg's error lines to a cause in our words; empty when none is recognised. */
    static Optional<String> describe(List<String> lines) {
        String all = String.join("\n", lines);
        String lower = all.toLowerCase(Locale.ROOT);
        if (lower.contains("401 unauthorized")) {
            return Optional.of("wrong credentials (401)");
        }
        if (lower.contains("403 forbidden")) {
            return Optional.of("access forbidden (403)");
        }
        if (lower.contains("404 not found")) {
            return Optional.of("unknown path (404)");
        }
        if (lower.contains("connection refused")) {
            return Optional.of("connection refused");
        }
        if (lower.contains("exceeds specified max pixel count")) {
            return Optional.of("frames too large (over " + MAX_PIXELS / 1_000_000 + " MP): not decoded; use the camera's substream");
        }
        if (lower.contains("no route to host")) {
            return Optional.of("no route to host");
        }
        if (lower.contains("name or service not known") || lower.contains("failed to resolve") || lower.contains("temporary failure in name")) {
            return Optional.of("unknown host");
        }
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return Optional.of("no answer from the camera (timed out)");
        }
        if (lower.contains("decoder") && lower.contains("not found") || lower.contains("unsupported codec")
                || lower.contains("could not find codec parameters") || lower.contains("no decoder")) {
            return Optional.of("unsupported codec (FFmpeg cannot decode this stream)");
        }
        if (lower.contains("invalid data found")) {
            return Optional.of("not a stream FFmpeg can read (invalid data)");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("method \\w+ failed: (\\d{3})").matcher(all);
        if (m.find()) {
            return Optional.of("camera refused the request (" + m.group(1) + ")");
        }
        if (lower.contains("end of file")) {
            return Optional.of("camera ended the stream");
        }
        return Optional.empty();
    }
}
