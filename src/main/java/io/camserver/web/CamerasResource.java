package io.camserver.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.analysis.AnalysisService;
import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraPuller;
import io.camserver.ingest.CameraSpec;
import io.camserver.output.Broadcaster;
import io.javalin.config.JavalinConfig;
import io.javalin.http.NotFoundResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Cameras: every camera's state (this replica's and, in scale-out, the others'), a name and
 * location for any camera, and the cameras managed at run time: add, change, try out, remove.
 */
final class CamerasResource {
    private CamerasResource() {
    }

    /**
     * A camera as the API shows it. {@code owner} is the replica that pulls it (scale-out only);
     * {@code kind} to {@code insecure} are given for cameras added through the API (the edit form
     * needs them; the password itself never leaves the server, only whether there is one).
     */
    record CameraBody(String id, String name, String location, String ip, String url, String origin, String state, String lastError,
                      double fps, long framesReceived, long droppedFrames, long framesAnalysed, long framesStill, long corruptFrames,
                      String lastFrameAt, long reconnects, String registeredAt, int viewers,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String owner,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String kind,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String transport,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String username,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean hasPassword,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean insecure,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String auth) {
        /** Peers may be newer and say more: what this build does not know is left out. */
        private static final ObjectMapper FROM_PEER = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        /** A camera another replica pulls, as that replica described it. */
        static CameraBody ofPeer(Map<String, Object> state) {
            return FROM_PEER.convertValue(state, CameraBody.class);
        }

        /** With what the edit form needs of a managed camera, and {@code fps} as shown. */
        CameraBody withSpec(CameraSpec e, double fps) {
            return new CameraBody(id, name, location, ip, url, origin, state, lastError, fps, framesReceived, droppedFrames,
                    framesAnalysed, framesStill, corruptFrames, lastFrameAt, reconnects, registeredAt, viewers, owner,
                    e.kind().name().toLowerCase(Locale.ROOT), e.udp() ? "udp" : "tcp", e.username(),
                    e.password() != null && !e.password().isEmpty(), e.insecure(), e.auth().name().toLowerCase(Locale.ROOT));
        }
    }

    /** A camera's name and location, for a camera another replica pulls. */
    record LabelBody(String id, String name, String location) {
    }

    static void install(JavalinConfig cfg, LiveServices s) {
        var r = cfg.routes;
        r.get("/api/cameras", ctx -> Http.json(ctx, 200, list(s, !"local".equals(ctx.queryParam("scope")))), Auth.Level.LIVE);
        r.get("/api/cameras/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Http.json(ctx, 200, s.registry().get(id).map(cam -> body(s, cam))
                    .or(() -> s.remote().get(id).map(x -> CameraBody.ofPeer(x.state())))
                    .orElseThrow(() -> new NotFoundResponse("no camera '" + id + "'")));
        }, Auth.Level.LIVE);
        r.delete("/api/cameras/{id}", ctx -> {
            String id = ctx.pathParam("id");
            boolean remote = s.remote().get(id).isPresent();
            s.registrar().forget(id); // the shared table too: its owner drops it on the next heartbeat
            boolean managed = s.catalog().delete(id); // an API camera: gone from the database, so from every replica
            if (!s.registry().remove(id) && !remote && !managed) {
                throw new NotFoundResponse("no camera '" + id + "'");
            }
            ctx.status(204);
        }, Auth.Level.ADMIN);
        r.post("/api/cameras", ctx -> {
            Map<String, Object> f = Http.fields(ctx);
            Object name = f.remove("name");
            Object location = f.remove("location");
            CameraSpec e = s.catalog().add(f);
            label(s, e.id(), name, location);
            Http.json(ctx, 201, managed(s, e));
        }, Auth.Level.ADMIN);
        r.patch("/api/cameras/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Map<String, Object> f = Http.fields(ctx);
            // A name and a location may be given to any camera; the rest only to one added through the API.
            Object name = f.remove("name");
            Object location = f.remove("location");
            boolean known = s.registry().get(id).isPresent() || s.remote().get(id).isPresent() || s.catalog().get(id).isPresent();
            if (!known) {
                throw new NoSuchElementException("no camera '" + id + "'");
            }
            CameraSpec e = f.isEmpty() ? null : s.catalog().update(id, f);
            label(s, id, name, location);
            Http.json(ctx, 200, e != null ? managed(s, e) : s.registry().get(id).<Object>map(c -> body(s, c))
                    .orElseGet(() -> new LabelBody(id, s.names().name(id), s.names().location(id))));
        }, Auth.Level.ADMIN);
        r.post("/api/cameras/test", ctx -> ctx.contentType("image/jpeg").result(s.catalog().test(Http.fields(ctx), Duration.ofSeconds(15))),
                Auth.Level.ADMIN);
    }

    /** This server's cameras, and with {@code everywhere} those the other replicas pull (scale-out), sorted by id. */
    private static List<CameraBody> list(LiveServices s, boolean everywhere) {
        List<CameraBody> out = new ArrayList<>();
        for (Camera c : s.registry().cameras()) {
            out.add(body(s, c));
        }
        if (everywhere) {
            Set<String> here = new HashSet<>();
            out.forEach(c -> here.add(c.id()));
            s.remote().list().stream().map(CameraBody::ofPeer).filter(c -> !here.contains(c.id())).forEach(out::add);
            out.sort(Comparator.comparing(CameraBody::id));
        }
        return out;
    }

    /** A managed camera: its live state when this replica pulls it, else what is stored (it is starting elsewhere or soon). */
    private static CameraBody managed(LiveServices s, CameraSpec e) {
        CameraBody b = s.registry().get(e.id()).map(c -> body(s, c)).orElseGet(() -> new CameraBody(e.id(), s.names().name(e.id()),
                s.names().location(e.id()), null, Camera.masked(e.connectUrl()), "api", "connecting", null, 0, 0, 0, 0, 0, 0, null, 0, null, 0,
                null, null, null, null, null, null, null));
        return b.withSpec(e, e.fps()); // the configured rate: the form edits it
    }

    /** Sets what is given of a camera's name and location. */
    private static void label(LiveServices s, String id, Object name, Object location) {
        if (name != null || location != null) {
            s.names().set(id, name == null ? null : String.valueOf(name), location == null ? null : String.valueOf(location));
        }
    }

    static CameraBody body(LiveServices s, Camera c) {
        CameraPuller.Status st = c.puller().status();
        AnalysisService.CameraStats a = s.analysis().stats(c.id()).orElse(new AnalysisService.CameraStats(0, 0, 0, null));
        CameraBody b = new CameraBody(c.id(), s.names().name(c.id()), s.names().location(c.id()),
                c.address().map(x -> x.address().getHostAddress()).orElse(null), c.displayUrl(), c.origin().name().toLowerCase(Locale.ROOT),
                st.state().id(), st.lastError(), Math.round(st.fps() * 10) / 10.0, st.frames(), c.slot().dropped(), a.analysed(), a.still(),
                a.decodeErrors() + st.notJpeg(), st.lastFrameAt() == null ? null : st.lastFrameAt().toString(), st.reconnects(),
                c.registeredAt().map(Object::toString).orElse(null), s.analysis().output(c.id()).map(Broadcaster::viewers).orElse(0),
                s.remote().self().orElse(null), null, null, null, null, null, null);
        return c.origin() == Camera.Origin.API ? s.catalog().known(c.id()).map(e -> b.withSpec(e, b.fps())).orElse(b) : b;
    }
}
