package io.camserver.web;

import io.camserver.store.EventStore;
import io.camserver.web.Bodies.EventBody;
import io.javalin.config.JavalinConfig;
import java.util.Optional;

/** The history of sightings: searched by person, camera, time or group; their pictures; "not this person". */
final class HistoryResource {
    private HistoryResource() {
    }

    record RejectBody(int samplesRemoved) {
    }

    static void install(JavalinConfig cfg, PeopleServices s, LiveServices live) {
        var r = cfg.routes;
        r.get("/api/events", ctx -> {
            EventStore.Filter f = new EventStore.Filter(Optional.ofNullable(ctx.queryParam("person")), Optional.ofNullable(ctx.queryParam("camera")),
                    Optional.ofNullable(ctx.queryParam("from")).map(v -> Http.longParam("from", v)),
                    Optional.ofNullable(ctx.queryParam("to")).map(v -> Http.longParam("to", v)), Optional.ofNullable(ctx.queryParam("visitor")),
                    "true".equals(ctx.queryParam("unknown")),
                    Optional.ofNullable(ctx.queryParam("limit")).map(v -> Http.intParam("limit", v)).orElse(100));
            Http.json(ctx, 200, EventBody.of(s.history().search(f), s.names()));
        }, Auth.Level.ADMIN);
        r.get("/api/events/{id}/thumbnail.jpg", ctx -> Http.jpeg(ctx, s.history().image(ctx.pathParam("id"), "thumbnail"), "event"),
                Auth.Level.ADMIN);
        r.get("/api/events/{id}/snapshot.jpg", ctx -> Http.jpeg(ctx, s.history().image(ctx.pathParam("id"), "snapshot"), "event"),
                Auth.Level.ADMIN);
        r.post("/api/events/{id}/reject", ctx -> {
            int removed = s.gallery().reject(ctx.pathParam("id"));
            live.integrations().retract(ctx.pathParam("id")); // the broker keeps no picture of a face the user said is not X
            Http.json(ctx, 200, new RejectBody(removed));
        },
                Auth.Level.ADMIN);
    }
}
