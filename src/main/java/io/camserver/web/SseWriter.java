package io.camserver.web;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.LivePayload;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Server-Sent Events on the request's own virtual thread, like {@link MjpegWriter}: a blocking
 * loop over a bounded subscription. (Javalin's SSE support runs handlers asynchronously; a
 * stream still open when the server stops then sends its error handling into a loop.)
 *
 * <p>Field values never carry a raw CR or LF: event names are constants and data is compact
 * JSON, which escapes line breaks.
 */
final class SseWriter {
    private SseWriter() {
    }

    static void stream(HttpServletResponse res, Dispatcher dispatcher, io.camserver.ingest.CameraNames names) {
        res.setStatus(200);
        res.setContentType("text/event-stream; charset=utf-8");
        res.setHeader("Cache-Control", "no-cache, no-store");
        res.setHeader("X-Accel-Buffering", "no");
        long id = 0;
        try (Dispatcher.Queue queue = dispatcher.queue(256)) {
            OutputStream out = res.getOutputStream();
            write(out, ": camserver events\n\n");
            while (true) {
                LiveEvent e = queue.poll(Duration.ofSeconds(15));
                if (e == null) {
                    write(out, ": keep-alive\n\n");
                    continue;
                }
                var type = LivePayload.type(e);
                if (type.isPresent()) {
                    write(out, "event: " + type.get() + "\nid: " + (++id) + "\ndata: " + Json.write(LivePayload.of(e, names::name).orElseThrow()) + "\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The viewer left (or the server is stopping and recycled the response): the normal
            // end of an event stream.
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
