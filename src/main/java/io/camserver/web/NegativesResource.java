package io.camserver.web;

import io.camserver.store.NegativeStore;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.List;

/**
 * Corrections that stick: a person's negative examples (faces the user said are not them) and the
 * ignored faces, listed with their pictures and taken back one by one.
 */
final class NegativesResource {
    private NegativesResource() {
    }

    /** A correction: {@code personId} null for an ignored face; {@code crop} is its picture. */
    record NegativeBody(String id, String personId, String eventId, String createdAt, String crop) {
        static NegativeBody of(NegativeStore.NegativeInfo n) {
            return new NegativeBody(n.id(), n.personId().orElse(null), n.eventId().orElse(null), Instant.ofEpochMilli(n.createdAt()).toString(),
                    "/api/negatives/" + n.id() + "/crop.jpg");
        }

        static List<NegativeBody> of(List<NegativeStore.NegativeInfo> all) {
            return all.stream().map(NegativeBody::of).toList();
        }
    }

    static void install(JavalinConfig cfg, PeopleServices s) {
        var r = cfg.routes;
        r.get("/api/people/{id}/negatives", ctx -> Http.json(ctx, 200, NegativeBody.of(s.gallery().corrections().of(ctx.pathParam("id")))),
                Auth.Level.ADMIN);
        r.get("/api/ignored", ctx -> Http.json(ctx, 200, NegativeBody.of(s.gallery().corrections().of(null))), Auth.Level.ADMIN);
        r.get("/api/negatives/{id}/crop.jpg", ctx -> Http.jpeg(ctx, s.gallery().corrections().crop(ctx.pathParam("id")), "negative example"),
                Auth.Level.ADMIN);
        r.delete("/api/negatives/{id}", ctx -> Http.deleted(ctx, s.gallery().corrections().delete(ctx.pathParam("id")), "negative example"),
                Auth.Level.ADMIN);
    }
}
