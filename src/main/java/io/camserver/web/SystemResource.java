package io.camserver.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The server itself: probes, metrics, the API's description, and the web UI's files. */
final class SystemResource {
    private SystemResource() {
    }

    static void install(JavalinConfig cfg, LiveServices s) {
        var r = cfg.routes;
        r.get("/healthz", ctx -> ctx.contentType(Http.TEXT).result("ok"), Auth.Level.PUBLIC);
        // Degraded is still ready: cameras, names and the live view work without the database, and
        // what it missed waits in the journal; taking the pod out of service would stop all that.
        r.get("/readyz", ctx -> {
            boolean ok = s.ready().getAsBoolean();
            java.util.Optional<String> degraded = ok ? s.degraded().get() : java.util.Optional.empty();
            ctx.status(ok ? 200 : 503).contentType(Http.TEXT).result(!ok ? "starting" : degraded.map(d -> "degraded: " + d).orElse("ready"));
        }, Auth.Level.PUBLIC);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(s.metrics().scrape()), Auth.Level.METRICS);
        r.get("/openapi.json", ctx -> resource(ctx, "/web/openapi.json", Http.JSON), Auth.Level.PUBLIC);
        r.get("/", ctx -> resource(ctx, "/web/index.html", "text/html; charset=utf-8"), Auth.Level.PUBLIC);
        r.get("/ui/{file}", ctx -> asset(ctx, ctx.pathParam("file")), Auth.Level.PUBLIC);
    }

    /** The UI's files (web/ui/): one ES module per page, the core they share, the entry point, the styles. */
    static final Map<String, String> ASSETS = Map.of(
            "main.js", "text/javascript; charset=utf-8", "core.js", "text/javascript; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8", "people.js", "text/javascript; charset=utf-8",
            "timeline.js", "text/javascript; charset=utf-8", "visitors.js", "text/javascript; charset=utf-8",
            "person.js", "text/javascript; charset=utf-8", "privacy.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");

    /** The UI's own files, by exact name from a fixed list: no path from the request reaches the class loader. */
    private static void asset(Context ctx, String name) throws IOException {
        String type = ASSETS.get(name);
        if (type == null) {
            throw new NotFoundResponse("no such file");
        }
        ctx.header("Cache-Control", "no-cache");
        resource(ctx, "/web/ui/" + name, type);
    }

    private static void resource(Context ctx, String path, String type) throws IOException {
        try (InputStream in = SystemResource.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new NotFoundResponse(path);
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }
}
