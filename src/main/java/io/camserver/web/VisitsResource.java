package io.camserver.web;

import io.camserver.history.Visits;
import io.camserver.store.EventStore;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Visits: a person's (or an unknown group's) consecutive sightings on one camera, as one. */
final class VisitsResource {
    private VisitsResource() {
    }

    /**
     * One visit: {@code person} a name or "unknown", {@code group} the unknown group's label when
     * it has one; {@code best} the sighting that stands for it (its thumbnail).
     */
    record VisitBody(String person, String personId, String group, String camera, String cameraName, String from, String to, int sightings,
                     String best, double similarity, String thumbnail) {
    }

    /** Sightings read to make the visits asked for, at most. */
    static final int MAX_SIGHTINGS = 5000;

    static void install(JavalinConfig cfg, PeopleServices s) {
        cfg.routes.get("/api/visits", ctx -> {
            EventStore.Filter f = new EventStore.Filter(Optional.ofNullable(ctx.queryParam("person")), Optional.ofNullable(ctx.queryParam("camera")),
                    Optional.ofNullable(ctx.queryParam("from")).map(v -> Http.longParam("from", v)),
                    Optional.ofNullable(ctx.queryParam("to")).map(v -> Http.longParam("to", v)), Optional.ofNullable(ctx.queryParam("visitor")),
                    "true".equals(ctx.queryParam("unknown")), MAX_SIGHTINGS);
            int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> Http.intParam("limit", v)).orElse(100);
            List<Visits.Visit> visits = Visits.of(s.history().search(f), s.visitGap());
            Http.json(ctx, 200, visits.stream().limit(Math.max(1, Math.min(limit, 1000))).map(v -> new VisitBody(v.personName().orElse("unknown"),
                    v.personId().orElse(null), v.visitorNumber().map(n -> "unknown #" + n).orElse(null), v.cameraId(),
                    s.names().name(v.cameraId()), Instant.ofEpochMilli(v.from()).toString(), Instant.ofEpochMilli(v.to()).toString(),
                    v.sightings(), v.best(), Http.round(v.bestSimilarity()), "/api/events/" + v.best() + "/thumbnail.jpg")).toList());
        }, Auth.Level.ADMIN);
    }
}
