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

    /** {@code frame}: the token of the frame a "which face?" answer was about, so the same frame is enrolled from. */
    record FromCameraRequest(String camera, Integer face, String frame) {
    }

    record FromEventRequest(String event) {
    }

    /**
     * A picture with several faces: which one to enroll is the caller's choice. From a live camera,
     * each face comes with {@code crop}, a URL of that face as JPEG, and {@code frame} names the
     * frame they were found in (both for {@link PendingFrames#TTL}); a photo's caller has the photo.
     */
    record SeveralFacesBody(String error, List<FaceChoiceBody> faces, String frame) {
    }

    record FaceChoiceBody(int index, int[] box, float score, String crop) {
    }


    static void install(JavalinConfig cfg, PeopleServices s, LiveServices live, RequestGuard guard) {
        var r = cfg.routes;
        PendingFrames pending = new PendingFrames(); // this server's, not the process's (tests run several servers in one JVM)
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
            byte[] frame = req.frame() != null
                    ? pending.frame(req.frame()).orElseThrow(() -> new HttpResponseException(410, "that frame is no longer kept (after "
                            + PendingFrames.TTL.toMinutes() + " minutes); ask again"))
                    : live.analysis().latestFrame(camera).orElseThrow(() -> new HttpResponseException(409, "camera " + camera + " has no frame yet"));
            GalleryService.Enrollment e = s.gallery().enroll(ctx.pathParam("id"), frame, Optional.ofNullable(req.face()), "camera " + camera);
            if (e instanceof GalleryService.SeveralFaces several) {
                String token = pending.keep(frame, several.faces().stream().map(GalleryService.Candidate::box).toList());
                Http.json(ctx, 422, new SeveralFacesBody(several.faces().size() + " faces in view; send the one to enroll as 'face' with 'frame'",
                        several.faces().stream().map(c -> new FaceChoiceBody(c.index(), c.box(), c.score(),
                                "/api/frames/" + token + "/faces/" + c.index() + ".jpg")).toList(), token));
                return;
            }
            enrolled(ctx, e);
        }, Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples/from-event", ctx -> {
            PeopleResource.personOr404(s, ctx.pathParam("id"));
            String event = Http.required(Http.body(ctx, FromEventRequest.class).event(), "event");
            Http.json(ctx, 201, SampleBody.of(s.gallery().enrollFromEvent(ctx.pathParam("id"), event)));
        }, Auth.Level.ADMIN);
        r.delete("/api/samples/{id}", ctx -> Http.deleted(ctx, s.gallery().deleteSample(ctx.pathParam("id")), "sample"), Auth.Level.ADMIN);
        r.get("/api/frames/{token}/faces/{index}.jpg", ctx -> Http.jpeg(ctx, pending.face(ctx.pathParam("token"),
                Http.intParam("index", ctx.pathParam("index"))), "face of a kept frame"), Auth.Level.ADMIN);
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
                    + " faces found; send the one to enroll as form field 'face' (0.." + (f.faces().size() - 1) + ")",
                    f.faces().stream().map(c -> new FaceChoiceBody(c.index(), c.box(), c.score(), null)).toList(), null));
        }
    }
}
