package io.camserver.web;

import io.camserver.replicas.RemoteCameras;
import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.registration.IpLiteral;
import io.camserver.output.Broadcaster;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

/**
 * What cameras and viewers talk to: registration (the firmware's wire protocol), the mosaic and
 * each camera's stream, snapshot and tile, and the live events. In scale-out any replica serves
 * any camera: one another replica pulls is relayed from it.
 */
final class LiveResource {
    private LiveResource() {
    }

    static void install(JavalinConfig cfg, LiveServices s) {
        var r = cfg.routes;
        r.get("/register", ctx -> register(ctx, s), Auth.Level.PUBLIC);
        r.get("/video_feed", ctx -> MjpegWriter.stream(ctx.res(), s.mosaic()), Auth.Level.LIVE);
        r.get("/cameras/{id}/stream", ctx -> MjpegWriter.stream(ctx.res(), output(s, ctx.pathParam("id"))), Auth.Level.LIVE);
        r.get("/cameras/{id}/snapshot.jpg", ctx -> snapshot(ctx, s), Auth.Level.LIVE);
        // The Live page's tiles: the latest analysed frame, annotated, small; another replica's camera gets its snapshot.
        r.get("/cameras/{id}/tile.jpg", ctx -> {
            String id = ctx.pathParam("id");
            if (s.registry().get(id).isEmpty()) {
                snapshot(ctx, s);
                return;
            }
            byte[] jpeg = s.analysis().tileJpeg(id).orElseThrow(() -> new HttpResponseException(503, "no analysed frame from camera " + id + " yet"));
            ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(jpeg);
        }, Auth.Level.LIVE);
        r.get("/events", ctx -> SseWriter.stream(ctx.res(), s.dispatcher(), s.names()), Auth.Level.LIVE);
    }

    private static void register(Context ctx, LiveServices s) {
        if (!s.registrationEnabled()) {
            ctx.status(404).contentType(Http.TEXT).result("registration is disabled on this server (registration.enabled=false)");
            return;
        }
        // Cameras send neither header; a browser sends them when a web page makes it request
        // /register (an <img> or fetch aimed at the camera host name from any site).
        String site = ctx.header("Sec-Fetch-Site");
        if (ctx.header("Origin") != null || (site != null && !site.equals("none") && !site.equals("same-origin"))) {
            s.metrics().registrations(false).increment();
            ctx.status(403).contentType(Http.TEXT).result("registration from a web page refused: cameras send no Origin or Sec-Fetch-Site header");
            return;
        }
        String peerText = ctx.req().getRemoteAddr();
        InetAddress peer = IpLiteral.parseAddress(peerText.replace("[", "").replace("]", ""))
                .orElseThrow(() -> new IllegalStateException("the server's peer address is not an IP literal"));
        Optional<InetAddress> source = s.registry().policy().sourceOf(peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        if (source.isEmpty()) {
            s.metrics().registrations(false).increment();
            ctx.status(400).contentType(Http.TEXT).result("X-Forwarded-For from a trusted proxy holds a hop that is not an IP address");
            return;
        }
        CameraRegistry.Registration reg = s.registrar().register(ctx.queryParam("ip"), ctx.queryParam("token"), ctx.queryParam("key"),
                source.get());
        switch (reg) {
            // The firmware reads the reply without checking it; the demo answered exactly "ACK".
            case CameraRegistry.Accepted a -> {
                s.metrics().registrations(true).increment();
                ctx.status(200).contentType(Http.TEXT).result("ACK");
            }
            case CameraRegistry.Refused f -> {
                s.metrics().registrations(false).increment();
                ctx.status(f.status()).contentType(Http.TEXT).result(f.reason());
            }
        }
    }

    private static Camera camera(LiveServices s, String id) {
        return s.registry().get(id).orElseThrow(() -> new NotFoundResponse("no camera '" + id + "'"));
    }

    private static Broadcaster output(LiveServices s, String id) {
        if (s.registry().get(id).isPresent()) {
            return s.analysis().output(id).orElseThrow(() -> new NotFoundResponse("no camera '" + id + "'"));
        }
        return s.remote().output(id).orElseThrow(() -> new NotFoundResponse("no camera '" + id + "'"));
    }

    private static void snapshot(Context ctx, LiveServices s) throws InterruptedException {
        String id = ctx.pathParam("id");
        if (s.registry().get(id).isEmpty() && s.remote().get(id).isPresent()) {
            byte[] jpeg = s.remote().snapshot(id).orElseThrow(() -> new HttpResponseException(503,
                    "no frame from camera " + id + " yet (pulled by replica " + s.remote().get(id).map(RemoteCameras.Remote::owner).orElse("?") + ")"));
            ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(jpeg);
            return;
        }
        Camera c = camera(s, id);
        Broadcaster b = output(s, c.id());
        b.want();
        Broadcaster.Published p = b.latest();
        long stale = 2_000_000_000L;
        if (p == null || System.nanoTime() - p.publishedNanos() > stale) {
            Broadcaster.Published fresh = b.next(p == null ? 0 : p.seq(), Duration.ofSeconds(3));
            p = fresh != null ? fresh : p;
        }
        if (p == null) {
            CameraPuller.Status st = c.puller().status();
            ctx.status(503).contentType(Http.TEXT).result("no frame from camera " + c.id() + " yet (state " + st.state().id()
                    + (st.lastError() == null ? "" : ", last error: " + st.lastError()) + ")");
            return;
        }
        ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(p.jpeg());
    }
}
