package io.camserver.web;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;

/**
 * The embedded HTTP server: Javalin 7 on Jetty 12, every request on a virtual thread, so a
 * long-lived MJPEG or SSE viewer costs a few KB of stack, not a platform thread.
 */
public final class WebServer implements AutoCloseable {
    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    public static WebServer start(String host, int port, LiveServices services, PeopleServices people, RequestGuard guard) {
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            // JPEG streams do not compress, and gzip would buffer them.
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            // Room for a hostile 10 KB query to reach our validation (and get a reason back)
            // instead of Jetty's bare 431; still bounded.
            cfg.jetty.modifyHttpConfiguration(hc -> hc.setRequestHeaderSize(32 << 10));
            long max = people.uploadMaxBytes();
            cfg.jetty.multipartConfig.maxFileSize(max, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(max + 65536, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            cfg.http.maxRequestSize = max + 65536;
            // First the guards every request passes (host, size, then the level its route declares), then one
            // class per resource, then the one place exceptions become responses.
            cfg.routes.before(guard::before);
            cfg.routes.beforeMatched(ctx -> people.auth().check(ctx));
            SessionResource.install(cfg, people.auth());
            LiveResource.install(cfg, services);
            CamerasResource.install(cfg, services);
            PeopleResource.install(cfg, people);
            SamplesResource.install(cfg, people, services, guard);
            HistoryResource.install(cfg, people, services);
            NegativesResource.install(cfg, people);
            SearchResource.install(cfg, people, guard);
            CalibrationResource.install(cfg, people);
            VisitsResource.install(cfg, people);
            VisitorsResource.install(cfg, people);
            IdentifyResource.install(cfg, people, guard);
            IntegrationsResource.install(cfg, services, people);
            SystemResource.install(cfg, services);
            Errors.install(cfg);
        });
        app.start(host, port);
        return new WebServer(app);
    }

    public int port() {
        return app.port();
    }

    /** One installed route and the level it declares. */
    public record Route(String method, String path, Auth.Level level) {
    }

    /** Every HTTP route as installed (for the OpenAPI document's test and a reader). */
    public java.util.List<Route> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint)
                .filter(e -> !e.method.name().equals("BEFORE") && !e.method.name().equals("AFTER") && !e.method.name().startsWith("BEFORE")
                        && !e.method.name().startsWith("AFTER"))
                .map(e -> {
                    io.javalin.security.Roles roles = e.metadata(io.javalin.security.Roles.class);
                    return new Route(e.method.name(), e.path, roles == null ? null : Auth.required(roles.getRoles()));
                }).toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}
