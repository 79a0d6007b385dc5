package io.camserver.web;

import io.camserver.ingest.CameraSpec;
import io.camserver.analysis.AnalysisService;
import io.camserver.cluster.RemoteCameras;
import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraCatalog;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.IpLiteral;
import io.camserver.output.Broadcaster;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every HTTP route of the live server, installed by one plain method: no annotations, no
 * scanning, so a reader (or a test) sees the whole surface here.
 */
public final class Routes {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private Routes() {
    }

    public static void install(JavalinConfig cfg, LiveServices s) {
        var r = cfg.routes;
        r.get("/register", ctx -> register(ctx, s), Auth.Level.PUBLIC);
        r.get("/video_feed", ctx -> MjpegWriter.stream(ctx.res(), s.mosaic()), Auth.Level.LIVE);
        // A camera another replica pulls is relayed from it (scale-out): any replica serves any camera.
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
        r.get("/api/cameras", ctx -> ctx.contentType(JSON).result(Json.write(cameraList(s, !"local".equals(ctx.queryParam("scope"))))), Auth.Level.LIVE);
        r.get("/api/cameras/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Object c = s.registry().get(id).<Object>map(cam -> cameraJson(s, cam))
                    .or(() -> s.remote().get(id).map(RemoteCameras.Remote::state))
                    .orElseThrow(() -> new NotFoundResponse("no camera '" + id + "'"));
            ctx.contentType(JSON).result(Json.write(c));
        }, Auth.Level.LIVE);
        r.delete("/api/cameras/{id}", ctx -> {
            String id = ctx.pathParam("id");
            boolean remote = s.remote().get(id).isPresent();
            s.registrar().forget(id); // the shared table too: its owner drops it on the next heartbeat
            boolean managed = s.catalog().delete(id); // an API camera: gone from the database, so from every replica
            if (!s.registry().remove(id) && !remote && !managed) {
                throw new NotFoundResponse("no camera '" + id + "'");
            }
            ctx.status(HttpStatus.NO_CONTENT);
        }, Auth.Level.ADMIN);
        // Cameras managed at run time (stored in the database): add, change, try out.
        r.post("/api/cameras", ctx -> managed(ctx, s, () -> {
            Map<String, Object> f = fields(ctx);
            Object name = f.remove("name");
            Object location = f.remove("location");
            CameraSpec e = s.catalog().add(f);
            label(s, e.id(), name, location);
            ctx.status(201).contentType(JSON).result(Json.write(managedJson(s, e)));
        }), Auth.Level.ADMIN);
        r.patch("/api/cameras/{id}", ctx -> managed(ctx, s, () -> {
            String id = ctx.pathParam("id");
            Map<String, Object> f = fields(ctx);
            // A name and a location may be given to any camera; the rest only to one added through the API.
            Object name = f.remove("name");
            Object location = f.remove("location");
            boolean known = s.registry().get(id).isPresent() || s.remote().get(id).isPresent() || s.catalog().get(id).isPresent();
            if (!known) {
                throw new java.util.NoSuchElementException("no camera '" + id + "'");
            }
            CameraSpec e = f.isEmpty() ? null : s.catalog().update(id, f);
            label(s, id, name, location);
            Object out = e != null ? managedJson(s, e) : s.registry().get(id).<Object>map(c -> cameraJson(s, c))
                    .orElseGet(() -> Map.of("id", id, "name", s.names().name(id), "location", s.names().location(id)));
            ctx.contentType(JSON).result(Json.write(out));
        }), Auth.Level.ADMIN);
        r.post("/api/cameras/test", ctx -> managed(ctx, s, () -> {
            byte[] jpeg = s.catalog().test(fields(ctx), java.time.Duration.ofSeconds(15));
            ctx.contentType("image/jpeg").result(jpeg);
        }), Auth.Level.ADMIN);
        r.get("/api/integrations", ctx -> ctx.contentType(JSON).result(Json.write(s.integrations().status())), Auth.Level.ADMIN);
        r.get("/healthz", ctx -> ctx.contentType(TEXT).result("ok"), Auth.Level.PUBLIC);
        r.get("/readyz", ctx -> {
            boolean ok = s.ready().getAsBoolean();
            ctx.status(ok ? 200 : 503).contentType(TEXT).result(ok ? "ready" : "starting");
        }, Auth.Level.PUBLIC);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(s.metrics().scrape()), Auth.Level.METRICS);
        r.get("/", ctx -> page(ctx, "index.html"), Auth.Level.PUBLIC);
        r.get("/ui/{file}", ctx -> asset(ctx, ctx.pathParam("file")), Auth.Level.PUBLIC);
        r.exception(IllegalArgumentException.class, (e, ctx) -> ApiRoutes.error(ctx, 400, e.getMessage()));
    }

    private static void register(Context ctx, LiveServices s) {
        if (!s.registrationEnabled()) {
            ctx.status(404).contentType(TEXT).result("registration is disabled on this server (registration.enabled=false)");
            return;
        }
        // Cameras send neither header; a browser sends them when a web page makes it request
        // /register (an <img> or fetch aimed at the camera host name from any site).
        String site = ctx.header("Sec-Fetch-Site");
        if (ctx.header("Origin") != null || (site != null && !site.equals("none") && !site.equals("same-origin"))) {
            s.metrics().registrations(false).increment();
            ctx.status(403).contentType(TEXT).result("registration from a web page refused: cameras send no Origin or Sec-Fetch-Site header");
            return;
        }
        String peerText = ctx.req().getRemoteAddr();
        InetAddress peer = IpLiteral.parseAddress(peerText.replace("[", "").replace("]", ""))
                .orElseThrow(() -> new IllegalStateException("the server's peer address is not an IP literal"));
        Optional<InetAddress> source = s.registry().policy().sourceOf(peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        if (source.isEmpty()) {
            s.metrics().registrations(false).increment();
            ctx.status(400).contentType(TEXT).result("X-Forwarded-For from a trusted proxy holds a hop that is not an IP address");
            return;
        }
        CameraRegistry.Registration reg = s.registrar().register(ctx.queryParam("ip"), ctx.queryParam("token"), ctx.queryParam("key"),
                source.get());
        switch (reg) {
            // The firmware reads the reply without checking it; the demo answered exactly "ACK".
            case CameraRegistry.Accepted a -> {
                s.metrics().registrations(true).increment();
                ctx.status(200).contentType(TEXT).result("ACK");
            }
            case CameraRegistry.Refused f -> {
                s.metrics().registrations(false).increment();
                ctx.status(f.status()).contentType(TEXT).result(f.reason());
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
            ctx.status(503).contentType(TEXT).result("no frame from camera " + c.id() + " yet (state " + st.state().id()
                    + (st.lastError() == null ? "" : ", last error: " + st.lastError()) + ")");
            return;
        }
        ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(p.jpeg());
    }

    /** This server's cameras, and with {@code everywhere} those the other replicas pull (scale-out), sorted by id. */
    static List<Map<String, Object>> cameraList(LiveServices s, boolean everywhere) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Camera c : s.registry().cameras()) {
            out.add(cameraJson(s, c));
        }
        if (everywhere) {
            java.util.Set<String> here = new java.util.HashSet<>();
            out.forEach(m -> here.add((String) m.get("id")));
            s.remote().list().stream().filter(m -> !here.contains((String) m.get("id"))).forEach(out::add);
            out.sort(java.util.Comparator.comparing(m -> (String) m.get("id")));
        }
        return out;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** The catalog's refusals as HTTP: 422 naming the field, 409 for an id in use, 404 for none. */
    private static void managed(Context ctx, LiveServices s, Work w) throws Exception {
        try {
            w.run();
        } catch (io.camserver.ingest.InvalidField e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", e.getMessage());
            m.put("field", e.field());
            ctx.status(422).contentType(JSON).result(Json.write(m));
        } catch (CameraCatalog.Taken e) {
            ApiRoutes.error(ctx, 409, e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            ApiRoutes.error(ctx, 404, e.getMessage());
        }
    }

    private static Map<String, Object> fields(Context ctx) throws java.io.IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        var body = ApiRoutes.body(ctx);
        body.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().isNumber() ? (Object) e.getValue().numberValue() : e.getValue().asText()));
        return out;
    }

    /** A managed camera as the API shows it: its live state when here, and never its password. */
    private static Map<String, Object> managedJson(LiveServices s, CameraSpec e) {
        Map<String, Object> m = s.registry().get(e.id()).map(c -> cameraJson(s, c)).orElseGet(() -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", e.id());
            x.put("url", Camera.masked(e.connectUrl()));
            x.put("origin", "api");
            x.put("state", "connecting");
            return x;
        });
        putSource(m, e);
        m.put("fps", e.fps());
        return m;
    }

    /** What the edit form needs of a managed camera; the password itself never leaves the server. */
    private static void putSource(Map<String, Object> m, CameraSpec e) {
        m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("transport", e.udp() ? "udp" : "tcp");
        m.put("username", e.username());
        m.put("hasPassword", e.password() != null && !e.password().isEmpty());
        m.put("insecure", e.insecure());
    }

    /** Sets what is given of a camera's name and location. */
    private static void label(LiveServices s, String id, Object name, Object location) {
        if (name != null || location != null) {
            s.names().set(id, name == null ? null : String.valueOf(name), location == null ? null : String.valueOf(location));
        }
    }

    static Map<String, Object> cameraJson(LiveServices s, Camera c) {
        CameraPuller.Status st = c.puller().status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", s.names().name(c.id()));
        m.put("location", s.names().location(c.id()));
        m.put("ip", c.address().map(a -> a.address().getHostAddress()).orElse(null));
        m.put("url", c.displayUrl());
        m.put("origin", c.origin().name().toLowerCase(java.util.Locale.ROOT));
        m.put("state", st.state().id());
        m.put("lastError", st.lastError());
        m.put("fps", Math.round(st.fps() * 10) / 10.0);
        m.put("framesReceived", st.frames());
        m.put("droppedFrames", c.slot().dropped());
        AnalysisService.CameraStats a = s.analysis().stats(c.id()).orElse(new AnalysisService.CameraStats(0, 0, 0, null));
        m.put("framesAnalysed", a.analysed());
        m.put("framesStill", a.still());
        m.put("corruptFrames", a.decodeErrors() + st.notJpeg());
        m.put("lastFrameAt", st.lastFrameAt() == null ? null : st.lastFrameAt().toString());
        m.put("reconnects", st.reconnects());
        m.put("registeredAt", c.registeredAt().map(Object::toString).orElse(null));
        m.put("viewers", s.analysis().output(c.id()).map(Broadcaster::viewers).orElse(0));
        s.remote().self().ifPresent(me -> m.put("owner", me));
        if (c.origin() == Camera.Origin.API) {
            s.catalog().known(c.id()).ifPresent(e -> putSource(m, e));
        }
        return m;
    }

    /** The UI's own files, by exact name from a fixed list: no path from the request reaches the class loader. */
    private static void asset(Context ctx, String name) throws IOException {
        String type = switch (name) {
            case "app.js" -> "text/javascript; charset=utf-8";
            case "app.css" -> "text/css; charset=utf-8";
            default -> throw new NotFoundResponse("no such file");
        };
        try (InputStream in = Routes.class.getResourceAsStream("/web/ui/" + name)) {
            ctx.header("Cache-Control", "no-cache").contentType(type).result(in.readAllBytes());
        }
    }

    private static void page(Context ctx, String name) throws IOException {
        try (InputStream in = Routes.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new NotFoundResponse(name);
            }
            ctx.contentType("text/html; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
