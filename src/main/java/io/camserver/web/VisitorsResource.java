package io.camserver.web;

import io.camserver.web.Bodies.PersonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;

/** Groups of unknown faces: listed, named (they become a person), hidden, forgotten. */
final class VisitorsResource {
    private VisitorsResource() {
    }

    /** A group of sightings of one unknown face; {@code cameras} counts the distinct cameras it was seen on. */
    record VisitorBody(String id, String label, int sightings, int cameras, long firstSeen, long lastSeen, String thumbnail, boolean hidden) {
    }

    /** Hide a group from the faces to name ({@code true}), or show it again ({@code false}). */
    record HideRequest(Boolean hidden) {
    }

    static void install(JavalinConfig cfg, PeopleServices s) {
        var r = cfg.routes;
        // ?minSightings=2: groups seen at least that often; ?hidden=true: the hidden groups instead of the others.
        r.get("/api/visitors", ctx -> {
            int min = java.util.Optional.ofNullable(ctx.queryParam("minSightings")).map(v -> Http.intParam("minSightings", v)).orElse(1);
            boolean hidden = "true".equals(ctx.queryParam("hidden"));
            Http.json(ctx, 200, s.history().visitors().list(s.gallery().modelId()).stream()
                    .filter(c -> c.sightings() >= min && c.hidden() == hidden)
                    .map(c -> new VisitorBody(c.id(), "unknown #" + c.number(), c.sightings(), c.cameras(), c.createdAt(), c.lastSeen(),
                            c.latestEventId().map(e -> "/api/events/" + e + "/thumbnail.jpg").orElse(null), c.hidden()))
                    .toList());
        }, Auth.Level.ADMIN);
        r.post("/api/visitors/{id}/hide", ctx -> {
            HideRequest req = Http.body(ctx, HideRequest.class);
            boolean hide = req.hidden() == null || req.hidden();
            if (!s.history().visitors().hide(ctx.pathParam("id"), hide)) {
                throw new HttpResponseException(404, "no visitor " + ctx.pathParam("id"));
            }
            ctx.status(204);
        }, Auth.Level.ADMIN);
        r.post("/api/visitors/{id}/name", ctx -> {
            PeopleResource.NameRequest req = Http.body(ctx, PeopleResource.NameRequest.class);
            String name = Http.required(req.name(), "name");
            Http.json(ctx, 200, PersonBody.of(s.gallery().nameVisitor(ctx.pathParam("id"), name, Boolean.TRUE.equals(req.merge()))));
        }, Auth.Level.ADMIN);
        r.delete("/api/visitors/{id}", ctx -> Http.deleted(ctx, s.history().visitors().delete(ctx.pathParam("id")), "visitor"), Auth.Level.ADMIN);
    }
}
