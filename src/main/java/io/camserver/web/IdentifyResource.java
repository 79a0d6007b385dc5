package io.camserver.web;

import io.camserver.gallery.GalleryService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.UploadedFile;
import java.util.List;

/** Names every face in an uploaded photo against the gallery. */
final class IdentifyResource {
    private IdentifyResource() {
    }

    /** One face: {@code box} is [x, y, w, h] in the photo's pixels; {@code name} a person or "unknown". */
    record FaceBody(int[] box, double score, String name, double similarity) {
    }

    record IdentifyBody(String image, int width, int height, List<FaceBody> faces) {
    }

    static void install(JavalinConfig cfg, PeopleServices s, RequestGuard guard) {
        cfg.routes.post("/api/identify", ctx -> guard.upload(ctx, () -> {
            UploadedFile f = ctx.uploadedFile("image");
            byte[] image = Http.upload(ctx, s.uploadMaxBytes());
            io.camserver.gallery.PhotoFaces.Identification id = s.gallery().photos().identify(image);
            Http.json(ctx, 200, new IdentifyBody(f == null ? "upload" : f.filename(), id.width(), id.height(), id.faces().stream()
                    .map(x -> new FaceBody(x.box(), Http.round(x.score()), x.name(), Http.round(x.similarity()))).toList()));
        }), Auth.Level.ADMIN);
    }
}
