package io.camserver.web;

import io.camserver.events.EventPayload;
import io.camserver.events.CameraEvent;
import io.camserver.events.EventBus;
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

    static void stream(HttpServletResponse res, EventBus bus, io.camserver.ingest.CameraNames names) {
        res.setStatus(200);
        res.setContentType("text/event-stream; charset=utf-8");
        res.setHeader("Cache-Control", "no-cache, no-store");
        res.setHeader("X-Accel-Buffering", "no");
        long id = 0;
        try (EventBus.Subscription sub = bus.subscribe(256)) {
            OutputStream out = res.getOutputStream();
            write(out, ": camserver events\n\n");
            while (true) {
                CameraEvent e = sub.poll(Duration.ofSeconds(15));
                if (e == null) {
                    write(out, ": keep-alive\n\n");
                } else {
                    write(out, "event: " + e.type() + "\nid: " + (++id) + "\ndata: " + Json.write(EventPayload.of(e, names::name)) + "\n\n");
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
