package io.camserver.web;

import io.camserver.gallery.Calibration;
import io.javalin.config.JavalinConfig;
import java.util.List;

/** How well the gallery separates its people, and the threshold its own samples suggest. */
final class CalibrationResource {
    private CalibrationResource() {
    }

    record GenuineBody(int count, Float p1, Float p5, Float median) {
    }

    record ImpostorBody(int count, Float max, Float p99) {
    }

    record PairBody(String a, String b, float similarity) {
    }

    record CalibrationBody(String model, float threshold, float suggestedThreshold, GenuineBody genuine, ImpostorBody impostor,
                           List<PairBody> closestPairs, List<String> warnings) {
        static CalibrationBody of(Calibration c) {
            return new CalibrationBody(c.model(), c.threshold(), c.suggestedThreshold(),
                    new GenuineBody(c.genuine().count(), c.genuine().p1(), c.genuine().p5(), c.genuine().median()),
                    new ImpostorBody(c.impostor().count(), c.impostor().max(), c.impostor().p99()),
                    c.closestPairs().stream().map(p -> new PairBody(p.a(), p.b(), p.similarity())).toList(), c.warnings());
        }
    }

    static void install(JavalinConfig cfg, PeopleServices s) {
        cfg.routes.get("/api/calibration", ctx -> Http.json(ctx, 200, CalibrationBody.of(Calibration.of(s.gallery().live().snapshot()))),
                Auth.Level.ADMIN);
    }
}
