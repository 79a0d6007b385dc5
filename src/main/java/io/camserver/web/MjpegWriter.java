package io.camserver.web;

import io.camserver.output.Broadcaster;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Streams a {@link Broadcaster} as {@code multipart/x-mixed-replace; boundary=frame}, the demo's
 * {@code /video_feed} format (plus a Content-Length per part, which browsers ignore and parsers
 * welcome). Runs on the request's virtual thread until the viewer leaves or the stream closes.
 * The viewer always gets the newest frame; frames it was too slow for are skipped, never queued.
 */
final class MjpegWriter {
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private MjpegWriter() {
    }

    static void stream(HttpServletResponse res, Broadcaster source) throws IOException {
        res.setStatus(200);
        res.setContentType("multipart/x-mixed-replace; boundary=frame");
        res.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
        res.setHeader("Pragma", "no-cache");
        res.setHeader("X-Accel-Buffering", "no"); // tell reverse proxies not to buffer the stream
        OutputStream out = res.getOutputStream();
        try (Broadcaster.Viewer viewer = source.join()) {
            long seq = 0;
            while (!source.closed()) {
                Broadcaster.Published p = viewer.next(seq, Duration.ofSeconds(5));
                if (p == null) {
                    continue;
                }
                out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + p.jpeg().length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(p.jpeg());
                out.write(CRLF);
                out.flush();
                seq = p.seq();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The viewer went away (or the server is stopping and recycled the response): the
            // normal end of a stream.
        }
    }
}
