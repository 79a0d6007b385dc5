package io.camserver.web;

import io.camserver.gallery.GalleryService;
import io.camserver.web.Bodies.SampleBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A person's samples: listed with how alike they are, added from a photo, a live camera or a sighting, removed. */
final class SamplesResource {
    private SamplesResource() {
    }

    record FromCameraRequest(String camera, Integer face) {
    }

    record FromEventRequest(String event) {
    }

    /** A photo with several faces: which one to enroll is the caller's choice. */
    record SeveralFacesBody(String error, List<GalleryService.Candidate> faces) {
    }

    static void install(JavalinConfig cfg, PeopleServices s, LiveServices live, RequestGuard guard) {
        var r = cfg.routes;
        r.get("/api/people/{id}/samples", ctx -> {
            String id = PeopleResource.personOr404(s, ctx.pathParam("id")).id();
            Map<String, GalleryService.Consistency> consistency = s.gallery().consistencyOfSamples(id);
            Http.json(ctx, 200, s.gallery().people().samples(id).stream().map(x -> SampleBody.of(x, consistency.get(x.id()))).toList());
        }, Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples", ctx -> guard.upload(ctx, () -> {
            PeopleResource.personOr404(s, ctx.pathParam("id"));
            byte[] image = Http.upload(ctx, s.uploadMaxBytes());
            Optional<Integer> face = Optional.ofNullable(ctx.formParam("face")).map(v -> Http.intParam("face", v));
            enrolled(ctx, s.gallery().enroll(ctx.pathParam("id"), image, face, "upload"));
        }), Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples/from-camera", ctx -> {
            PeopleResource.personOr404(s, ctx.pathParam("id"));
            FromCameraRequest req = Http.body(ctx, FromCameraRequest.class);
            String camera = Http.required(req.camera(), "camera");
            byte[] frame = live.analysis().latestFrame(camera)
                    .orElseThrow(() -> new HttpResponseException(409, "camera " + camera + " has no frame yet"));
            enrolled(ctx, s.gallery().enroll(ctx.pathParam("id"), frame, Optional.ofNullable(req.face()), "camera " + camera));
        }, Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples/from-event", ctx -> {
            PeopleResource.personOr404(s, ctx.pathParam("id"));
            String event = Http.required(Http.body(ctx, FromEventRequest.class).event(), "event");
            Http.json(ctx, 201, SampleBody.of(s.gallery().enrollFromEvent(ctx.pathParam("id"), event)));
        }, Auth.Level.ADMIN);
        r.delete("/api/samples/{id}", ctx -> Http.deleted(ctx, s.gallery().deleteSample(ctx.pathParam("id")), "sample"), Auth.Level.ADMIN);
        r.get("/api/samples/{id}/crop.jpg", ctx -> Http.jpeg(ctx, s.gallery().people().sampleCrop(ctx.pathParam("id")), "sample"),
                Auth.Level.ADMIN);
    }

    /** An enrollment's outcome: the new sample (201), or why none was added (422). */
    private static void enrolled(Context ctx, GalleryService.Enrollment e) {
        switch (e) {
            case GalleryService.Added a -> Http.json(ctx, 201, SampleBody.of(a.sample(), a.consistency().orElse(null)));
            case GalleryService.NoFace n -> Http.error(ctx, 422, n.reason());
            case GalleryService.BadImage b -> Http.error(ctx, 422, b.reason());
            case GalleryService.SeveralFaces f -> Http.json(ctx, 422, new SeveralFacesBody(f.faces().size()
                    + " faces found; send the one to enroll as form field 'face' (0.." + (f.faces().size() - 1) + ")", f.faces()));
        }
    }
}
