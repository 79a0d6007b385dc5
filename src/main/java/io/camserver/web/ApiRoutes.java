package io.camserver.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.GalleryService;
import io.camserver.image.ImageDecodeException;
import io.camserver.store.ConflictException;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** People, samples, events, clusters, identify, login and privacy: the admin API. */
public final class ApiRoutes {
    private static final String JSON = "application/json";

    private ApiRoutes() {
    }

    public static void install(JavalinConfig cfg, LiveServices live, PeopleServices s, RequestGuard guard) {
        var r = cfg.routes;
        r.before(guard::before);
        // Each route declares its level (PUBLIC, LIVE, METRICS, ADMIN) where it is installed.
        r.beforeMatched(ctx -> s.auth().check(ctx));

        r.post("/login", ctx -> {
            String password = ctx.contentType() != null && ctx.contentType().startsWith("application/json")
                    ? body(ctx).path("password").asText(null) : formField(RequestGuard.smallBody(ctx), "password");
            String csrf = s.auth().login(ctx, password);
            json(ctx, 200, Map.of("csrfToken", csrf));
        }, Auth.Level.PUBLIC);
        r.post("/logout", ctx -> {
            s.auth().logout(ctx);
            ctx.status(204);
        }, Auth.Level.PUBLIC);
        r.get("/api/session", ctx -> {
            Map<String, Object> m = new LinkedHashMap<>();
            Optional<String> csrf = s.auth().csrfOf(ctx);
            m.put("admin", csrf.isPresent());
            m.put("csrfToken", csrf.orElse(null));
            m.put("liveViewOpen", s.auth().liveViewOpen());
            if (csrf.isPresent()) {
                // For the first-run guide: only the admin learns how the password came to be.
                m.put("passwordGenerated", s.auth().passwordGenerated());
            }
            json(ctx, 200, m);
        }, Auth.Level.PUBLIC);

        r.get("/api/people", ctx -> json(ctx, 200, s.gallery().people().list().stream().map(ApiRoutes::person).toList()), Auth.Level.ADMIN);
        r.post("/api/people", ctx -> json(ctx, 201, person(s.gallery().createPerson(text(body(ctx), "name")))), Auth.Level.ADMIN);
        r.get("/api/people/{id}", ctx -> {
            Map<String, Object> m = person(personOr404(s, ctx.pathParam("id")));
            // Where and when the person was last seen: their latest sightings, newest first.
            m.put("lastSeen", s.history().search(new EventStore.Filter(Optional.of(ctx.pathParam("id")), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), false, 5)).stream().map(e -> {
                        Map<String, Object> x = new LinkedHashMap<>();
                        x.put("camera", e.cameraId());
                        x.put("cameraName", s.names().name(e.cameraId()));
                        x.put("at", e.lastSeen());
                        x.put("event", e.id());
                        return x;
                    }).toList());
            json(ctx, 200, m);
        }, Auth.Level.ADMIN);
        r.patch("/api/people/{id}", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            json(ctx, 200, person(s.gallery().renamePerson(ctx.pathParam("id"), text(body(ctx), "name"))));
        }, Auth.Level.ADMIN);
        r.delete("/api/people/{id}", ctx -> {
            if (!s.gallery().deletePerson(ctx.pathParam("id"))) {
                throw new HttpResponseException(404, "no person " + ctx.pathParam("id"));
            }
            ctx.status(204);
        }, Auth.Level.ADMIN);
        r.get("/api/people/{id}/samples", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            Map<String, GalleryService.Consistency> consistency = s.gallery().consistencyOfSamples(ctx.pathParam("id"));
            json(ctx, 200, s.gallery().people().samples(ctx.pathParam("id")).stream().map(x -> {
                Map<String, Object> m = sample(x);
                GalleryService.Consistency c = consistency.get(x.id());
                if (c != null) {
                    m.put("consistency", Map.of("others", c.others(), "best", c.best(), "mean", c.mean(), "outlier", c.outlier()));
                    c.warning().ifPresent(w -> m.put("warning", w));
                }
                return m;
            }).toList());
        }, Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples", ctx -> guard.upload(ctx, () -> {
            personOr404(s, ctx.pathParam("id"));
            byte[] image = upload(ctx, s.uploadMaxBytes());
            Optional<Integer> face = Optional.ofNullable(ctx.formParam("face")).map(v -> intParam("face", v));
            enrollmentResult(ctx, s.gallery().enroll(ctx.pathParam("id"), image, face, "upload"));
        }), Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples/from-camera", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            JsonNode b = body(ctx);
            String camera = text(b, "camera");
            byte[] frame = live.analysis().latestFrame(camera)
                    .orElseThrow(() -> new HttpResponseException(409, "camera " + camera + " has no frame yet"));
            Optional<Integer> face = b.has("face") ? Optional.of(b.get("face").asInt()) : Optional.empty();
            enrollmentResult(ctx, s.gallery().enroll(ctx.pathParam("id"), frame, face, "camera " + camera));
        }, Auth.Level.ADMIN);
        r.post("/api/people/{id}/samples/from-event", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            json(ctx, 201, sample(s.gallery().enrollFromEvent(ctx.pathParam("id"), text(body(ctx), "event"))));
        }, Auth.Level.ADMIN);
        r.get("/api/people/{id}/export", ctx -> export(ctx, s, personOr404(s, ctx.pathParam("id"))), Auth.Level.ADMIN);
        r.post("/api/people/import", ctx -> {
            FolderImport.Report rep = s.gallery().importFolder(Path.of(text(body(ctx), "dir")));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enrolled", rep.enrolled().size());
            m.put("people", rep.people());
            m.put("skipped", rep.rejected().stream().map(x -> Map.of("file", x.file().toString(), "reason", x.reason())).toList());
            json(ctx, 200, m);
        }, Auth.Level.ADMIN);
        r.delete("/api/samples/{id}", ctx -> {
            if (!s.gallery().deleteSample(ctx.pathParam("id"))) {
                throw new HttpResponseException(404, "no sample " + ctx.pathParam("id"));
            }
            ctx.status(204);
        }, Auth.Level.ADMIN);
        r.get("/api/samples/{id}/crop.jpg", ctx -> jpeg(ctx, s.gallery().people().sampleCrop(ctx.pathParam("id")), "sample"), Auth.Level.ADMIN);

        r.post("/api/identify", ctx -> guard.upload(ctx, () -> {
            UploadedFile f = ctx.uploadedFile("image");
            byte[] image = upload(ctx, s.uploadMaxBytes());
            try {
                GalleryService.Identification id = s.gallery().identify(image);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("image", f == null ? "upload" : f.filename());
                m.put("width", id.width());
                m.put("height", id.height());
                m.put("faces", id.faces().stream().map(x -> {
                    Map<String, Object> face = new LinkedHashMap<>();
                    face.put("box", x.box());
                    face.put("score", round(x.score()));
                    face.put("name", x.name());
                    face.put("similarity", round(x.similarity()));
                    return face;
                }).toList());
                json(ctx, 200, m);
            } catch (ImageDecodeException e) {
                throw new HttpResponseException(422, e.getMessage());
            }
        }), Auth.Level.ADMIN);

        r.get("/api/events", ctx -> {
            EventStore.Filter f = new EventStore.Filter(Optional.ofNullable(ctx.queryParam("person")), Optional.ofNullable(ctx.queryParam("camera")),
                    Optional.ofNullable(ctx.queryParam("from")).map(v -> longParam("from", v)),
                    Optional.ofNullable(ctx.queryParam("to")).map(v -> longParam("to", v)), Optional.ofNullable(ctx.queryParam("cluster")),
                    "true".equals(ctx.queryParam("unknown")), Optional.ofNullable(ctx.queryParam("limit")).map(v -> intParam("limit", v)).orElse(100));
            json(ctx, 200, s.history().search(f).stream().map(e -> event(e, s.names())).toList());
        }, Auth.Level.ADMIN);
        r.get("/api/events/{id}/thumbnail.jpg", ctx -> jpeg(ctx, s.history().image(ctx.pathParam("id"), "thumbnail"), "event"), Auth.Level.ADMIN);
        r.get("/api/events/{id}/snapshot.jpg", ctx -> jpeg(ctx, s.history().image(ctx.pathParam("id"), "snapshot"), "event"), Auth.Level.ADMIN);
        r.post("/api/events/{id}/reject", ctx -> {
            int removed = s.gallery().reject(ctx.pathParam("id"));
            json(ctx, 200, Map.of("samplesRemoved", removed));
        }, Auth.Level.ADMIN);

        r.get("/api/clusters", ctx -> json(ctx, 200, s.history().clusters(s.gallery().modelId()).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("label", "unknown #" + c.number());
            m.put("sightings", c.sightings());
            m.put("cameras", c.cameras());
            m.put("firstSeen", c.createdAt());
            m.put("lastSeen", c.lastSeen());
            m.put("thumbnail", c.latestEventId().map(e -> "/api/events/" + e + "/thumbnail.jpg").orElse(null));
            return m;
        }).toList()), Auth.Level.ADMIN);
        r.post("/api/clusters/{id}/name", ctx -> {
            json(ctx, 200, person(s.gallery().nameCluster(ctx.pathParam("id"), text(body(ctx), "name"))));
        }, Auth.Level.ADMIN);
        r.delete("/api/clusters/{id}", ctx -> {
            if (!s.history().deleteCluster(ctx.pathParam("id"))) {
                throw new HttpResponseException(404, "no cluster " + ctx.pathParam("id"));
            }
            ctx.status(204);
        }, Auth.Level.ADMIN);

        r.get("/api/privacy", ctx -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("retentionDays", s.retentionAge().toDays());
            m.put("retentionBytes", s.retentionBytes());
            m.put("storedEvents", s.history().count());
            m.put("storedEventBytes", s.history().totalBytes());
            List<String> sentTo = s.dataLeavesTo().get();
            m.put("faceDataLeavesDevice", !sentTo.isEmpty());
            m.put("sentTo", sentTo);
            json(ctx, 200, m);
        }, Auth.Level.ADMIN);
        r.get("/openapi.json", ctx -> {
            try (InputStream in = ApiRoutes.class.getResourceAsStream("/web/openapi.json")) {
                ctx.contentType(JSON).result(in.readAllBytes());
            }
        }, Auth.Level.PUBLIC);

        r.exception(ConflictException.class, (e, ctx) -> error(ctx, e.getMessage().startsWith("no ") ? 404 : 409, e.getMessage()));
        r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
    }

    static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType(JSON).result(Json.write(Map.of("error", message == null ? "error" : message)));
    }

    private static void enrollmentResult(Context ctx, GalleryService.Enrollment e) {
        switch (e) {
            case GalleryService.Added a -> {
                Map<String, Object> m = sample(a.sample());
                a.consistency().ifPresent(c -> {
                    Map<String, Object> k = new LinkedHashMap<>();
                    k.put("others", c.others());
                    k.put("best", c.best());
                    k.put("mean", c.mean());
                    k.put("outlier", c.outlier());
                    m.put("consistency", k);
                    c.warning().ifPresent(w -> m.put("warning", w));
                });
                json(ctx, 201, m);
            }
            case GalleryService.NoFace n -> error(ctx, 422, n.reason());
            case GalleryService.BadImage b -> error(ctx, 422, b.reason());
            case GalleryService.SeveralFaces f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("error", f.faces().size() + " faces found; send the one to enroll as form field 'face' (0.." + (f.faces().size() - 1) + ")");
                m.put("faces", f.faces());
                json(ctx, 422, m);
            }
        }
    }

    /** The uploaded {@code image} part, size-checked before and after reading. */
    private static byte[] upload(Context ctx, long max) throws IOException {
        long declared = ctx.contentLength();
        if (declared > max + 65536) {
            throw new HttpResponseException(413, "upload of " + declared + " bytes is over the limit of " + max + " bytes (upload.maxBytes)");
        }
        UploadedFile f = ctx.uploadedFile("image");
        if (f == null) {
            throw new HttpResponseException(400, "send the photo as multipart/form-data field 'image'");
        }
        if (f.size() > max) {
            throw new HttpResponseException(413, "image of " + f.size() + " bytes is over the limit of " + max + " bytes (upload.maxBytes)");
        }
        try (InputStream in = f.content()) {
            byte[] data = in.readNBytes((int) max + 1);
            if (data.length > max) {
                throw new HttpResponseException(413, "image is over the limit of " + max + " bytes (upload.maxBytes)");
            }
            return data;
        }
    }

    private static PeopleStore.PersonInfo personOr404(PeopleServices s, String id) {
        return s.gallery().people().get(id).orElseThrow(() -> new HttpResponseException(404, "no person " + id));
    }

    private static void export(Context ctx, PeopleServices s, PeopleStore.PersonInfo p) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            Map<String, Object> meta = new LinkedHashMap<>(person(p));
            List<Map<String, Object>> samples = new ArrayList<>();
            for (PeopleStore.SampleInfo si : s.gallery().people().samples(p.id())) {
                samples.add(sample(si));
                byte[] crop = s.gallery().people().sampleCrop(si.id()).orElse(new byte[0]);
                zip.putNextEntry(new ZipEntry("samples/" + si.id() + ".jpg"));
                zip.write(crop);
                zip.closeEntry();
            }
            meta.put("samples", samples);
            List<Map<String, Object>> events = new ArrayList<>();
            for (EventStore.EventInfo e : s.history().search(new EventStore.Filter(Optional.of(p.id()), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), false, 1000))) {
                events.add(event(e, s.names()));
                zip.putNextEntry(new ZipEntry("events/" + e.id() + ".jpg"));
                zip.write(s.history().image(e.id(), "thumbnail").orElse(new byte[0]));
                zip.closeEntry();
            }
            meta.put("events", events);
            zip.putNextEntry(new ZipEntry("person.json"));
            zip.write(Json.write(meta).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ctx.header("Content-Disposition", "attachment; filename=\"camserver-" + p.id() + ".zip\"").contentType("application/zip")
                .result(buf.toByteArray());
    }

    static Map<String, Object> person(PeopleStore.PersonInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("samples", p.samples());
        m.put("createdAt", p.createdAt());
        m.put("thumbnail", p.firstSampleId().map(id -> "/api/samples/" + id + "/crop.jpg").orElse(null));
        return m;
    }

    static Map<String, Object> sample(PeopleStore.SampleInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("personId", s.personId());
        m.put("modelId", s.modelId());
        m.put("source", s.source());
        m.put("eventId", s.eventId().orElse(null));
        m.put("createdAt", s.createdAt());
        m.put("crop", "/api/samples/" + s.id() + "/crop.jpg");
        s.quality().ifPresent(q -> m.put("quality", Map.of("height", Math.round(q.height()), "sharpness", Math.round(q.sharpness()),
                "yaw", Math.round(q.yaw()))));
        return m;
    }

    static Map<String, Object> event(EventStore.EventInfo e, io.camserver.ingest.CameraNames names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("camera", e.cameraId());
        m.put("cameraName", names.name(e.cameraId()));
        m.put("trackId", e.trackId());
        m.put("personId", e.personId().orElse(null));
        m.put("person", e.personName().orElse("unknown"));
        m.put("cluster", e.clusterNumber().map(n -> "unknown #" + n).orElse(null));
        m.put("clusterId", e.clusterId().orElse(null));
        m.put("similarity", round(e.similarity()));
        m.put("firstSeen", e.firstSeen());
        m.put("lastSeen", e.lastSeen());
        m.put("box", e.box());
        // the view the name was decided from: face height (px), sharpness (Laplacian variance), yaw (degrees)
        m.put("quality", e.quality().map(q -> Map.of("height", Math.round(q.height()), "sharpness", Math.round(q.sharpness()),
                "yaw", Math.round(q.yaw()))).orElse(null));
        m.put("thumbnail", "/api/events/" + e.id() + "/thumbnail.jpg");
        m.put("snapshot", "/api/events/" + e.id() + "/snapshot.jpg");
        return m;
    }

    private static void jpeg(Context ctx, Optional<byte[]> data, String what) {
        byte[] d = data.orElseThrow(() -> new HttpResponseException(404, "no " + what + " " + ctx.pathParam("id")));
        ctx.header("Cache-Control", "private, max-age=300").contentType("image/jpeg").result(d);
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(Json.write(body));
    }

    /** One field of an application/x-www-form-urlencoded body; null if absent. */
    private static String formField(byte[] body, String name) {
        for (String pair : new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static JsonNode body(Context ctx) throws IOException {
        try {
            JsonNode n = Json.MAPPER.readTree(RequestGuard.smallBody(ctx));
            if (n == null || !n.isObject()) {
                throw new HttpResponseException(400, "request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpResponseException(400, "request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new HttpResponseException(400, "field '" + field + "' (a string) is required");
        }
        return v.asText();
    }

    private static int intParam(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be a whole number (was '" + v + "')");
        }
    }

    private static long longParam(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be epoch milliseconds (was '" + v + "')");
        }
    }

    private static double round(float v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
