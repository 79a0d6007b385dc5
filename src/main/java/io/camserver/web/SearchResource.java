package io.camserver.web;

import io.camserver.history.FaceSearch;
import io.camserver.store.ConflictException;
import io.camserver.vision.Embedding;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Search by face: where and when a face was seen, over the whole stored history. The face comes
 * from a photo (multipart {@code image}: its largest face) or from a sighting ({@code {"event": id}}).
 */
final class SearchResource {
    private SearchResource() {
    }

    /** JSON form: a sighting whose face to look for, and the same options as the query string. */
    record SearchRequest(String event, Integer limit, Double minSimilarity) {
    }

    /** One sighting found: {@code at} is when it was first seen; {@code person} "unknown" or a name. */
    record ResultBody(String event, String camera, String cameraName, String at, double similarity, String person, String thumbnail) {
    }

    /** {@code complete} is false while the history's faces are still being loaded after a start. */
    record SearchBody(List<ResultBody> results, boolean complete) {
    }

    static void install(JavalinConfig cfg, PeopleServices s, RequestGuard guard) {
        cfg.routes.post("/api/search/faces", ctx -> {
            if (ctx.isMultipartFormData()) {
                guard.upload(ctx, () -> {
                    byte[] image = Http.upload(ctx, s.uploadMaxBytes());
                    Embedding face = s.gallery().photos().largestFace(image)
                            .orElseThrow(() -> new HttpResponseException(422, "no face found in the photo"));
                    answer(ctx, s, face.unsafeVector(), param(ctx, "limit").map(v -> Http.intParam("limit", v)),
                            param(ctx, "minSimilarity").map(v -> doubleParam("minSimilarity", v)));
                });
                return;
            }
            SearchRequest req = Http.body(ctx, SearchRequest.class);
            if (req.event() == null || req.event().isBlank()) {
                throw new HttpResponseException(400, "send a photo as multipart field 'image', or JSON {\"event\": \"<sighting id>\"}");
            }
            var face = s.history().face(req.event()).orElseThrow(() -> new ConflictException("no event " + req.event()));
            answer(ctx, s, face.embedding(), Optional.ofNullable(req.limit()), Optional.ofNullable(req.minSimilarity()));
        }, Auth.Level.ADMIN);
    }

    private static void answer(Context ctx, PeopleServices s, float[] face, Optional<Integer> limit, Optional<Double> min) {
        List<FaceSearch.Found> found = s.faceSearch().search(face, limit.orElse(50), min.map(Double::floatValue).orElse(s.searchMin()));
        Http.json(ctx, 200, new SearchBody(found.stream().map(f -> new ResultBody(f.event().id(), f.event().cameraId(),
                s.names().name(f.event().cameraId()), Instant.ofEpochMilli(f.event().firstSeen()).toString(), Http.round(f.similarity()),
                f.event().personName().orElse("unknown"), "/api/events/" + f.event().id() + "/thumbnail.jpg")).toList(),
                s.faceSearch().complete()));
    }

    private static Optional<String> param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? Optional.ofNullable(ctx.formParam(name)) : Optional.of(v);
    }

    private static double doubleParam(String name, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be a number (was '" + v + "')");
        }
    }
}
