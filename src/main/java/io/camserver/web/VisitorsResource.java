package io.camserver.web;

import io.camserver.web.Bodies.PersonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;

/** Groups of unknown faces seen more than once: listed, named (they become a person), forgotten. */
final class VisitorsResource {
    private VisitorsResource() {
    }

    /** A group of sightings of one unknown face; {@code cameras} counts the distinct cameras it was seen on. */
    record VisitorBody(String id, String label, int sightings, int cameras, long firstSeen, long lastSeen, String thumbnail) {
    }

    static void install(JavalinConfig cfg, PeopleServices s) {
        var r = cfg.routes;
        r.get("/api/visitors", ctx -> Http.json(ctx, 200, s.history().visitors().list(s.gallery().modelId()).stream()
                .map(c -> new VisitorBody(c.id(), "unknown #" + c.number(), c.sightings(), c.cameras(), c.createdAt(), c.lastSeen(),
                        c.latestEventId().map(e -> "/api/events/" + e + "/thumbnail.jpg").orElse(null)))
                .toList()), Auth.Level.ADMIN);
        r.post("/api/visitors/{id}/name", ctx -> {
            PeopleResource.NameRequest req = Http.body(ctx, PeopleResource.NameRequest.class);
            String name = Http.required(req.name(), "name");
            Http.json(ctx, 200, PersonBody.of(s.gallery().nameVisitor(ctx.pathParam("id"), name, Boolean.TRUE.equals(req.merge()))));
        }, Auth.Level.ADMIN);
        r.delete("/api/visitors/{id}", ctx -> Http.deleted(ctx, s.history().visitors().delete(ctx.pathParam("id")), "visitor"), Auth.Level.ADMIN);
    }
}
