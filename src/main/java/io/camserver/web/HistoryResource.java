package io.camserver.web;

import io.camserver.store.EventStore;
import io.camserver.store.NegativeStore;
import io.camserver.web.Bodies.EventBody;
import io.javalin.config.JavalinConfig;
import java.util.Optional;

/** The history of sightings: searched by person, camera, time or group; their pictures; "not this person" and "ignore". */
final class HistoryResource {
    private HistoryResource() {
    }

    /** What "not X" did: samples removed, and the negative example kept (null when the sighting named nobody). */
    record RejectBody(int samplesRemoved, String negative) {
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
            var rejected = s.gallery().corrections().reject(ctx.pathParam("id"));
            live.integrations().retract(ctx.pathParam("id")); // the broker keeps no picture of a face the user said is not X
            Http.json(ctx, 200, new RejectBody(rejected.samplesRemoved(), rejected.negative().map(NegativeStore.NegativeInfo::id).orElse(null)));
        }, Auth.Level.ADMIN);
        // One sighting forgotten: its pictures go, and the broker keeps no retained picture of it.
        // (The in-memory face index may still hold its vector until the next restart or
        // retention pass; search and relabelling read sightings back by id and skip missing ones.)
        r.delete("/api/events/{id}", ctx -> {
            boolean found = s.history().delete(ctx.pathParam("id"));
            if (found) {
                live.integrations().retract(ctx.pathParam("id"));
            }
            Http.deleted(ctx, found, "event");
        }, Auth.Level.ADMIN);
        // Faces like this one (a poster, a television) are recorded but never announced.
        r.post("/api/events/{id}/ignore", ctx -> {
            var n = s.gallery().corrections().ignore(ctx.pathParam("id"));
            live.integrations().retract(ctx.pathParam("id"));
            Http.json(ctx, 200, NegativesResource.NegativeBody.of(n));
        },
                Auth.Level.ADMIN);
    }
}
