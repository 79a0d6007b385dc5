package io.camserver.web;

import io.camserver.gallery.FolderImport;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import io.camserver.web.Bodies.EventBody;
import io.camserver.web.Bodies.PersonBody;
import io.camserver.web.Bodies.SampleBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** People: list, add, rename, remove, where each was last seen, a folder import and a person's export. */
final class PeopleResource {
    private PeopleResource() {
    }

    /** A name; {@code merge} (naming a visitor): add to the person who has that name already, instead of 409. */
    record NameRequest(String name, Boolean merge) {
    }

    record MergeRequest(String into) {
    }

    record ImportRequest(String dir) {
    }

    /** Where and when a person was seen lately. */
    record SightingRefBody(String camera, String cameraName, long at, String event) {
        static SightingRefBody of(EventStore.Seen x, PeopleServices s) {
            return new SightingRefBody(x.cameraId(), s.names().name(x.cameraId()), x.at(), x.eventId());
        }
    }

    /** A person with their latest sightings, newest first. */
    record PersonDetailBody(String id, String name, int samples, long createdAt, String thumbnail, List<SightingRefBody> lastSeen) {
        static PersonDetailBody of(PersonBody p, List<SightingRefBody> lastSeen) {
            return new PersonDetailBody(p.id(), p.name(), p.samples(), p.createdAt(), p.thumbnail(), lastSeen);
        }
    }

    record SkippedBody(String file, String reason) {
    }

    record ImportBody(int enrolled, long people, List<SkippedBody> skipped) {
    }

    /** What person.json in an export holds beside the images. */
    record ExportBody(String id, String name, List<SampleBody> samples, long createdAt, String thumbnail, List<EventBody> events) {
    }

    static void install(JavalinConfig cfg, PeopleServices s) {
        var r = cfg.routes;
        // Every person with where they were last seen, in one request (one query for the sightings).
        r.get("/api/people", ctx -> {
            var seen = s.history().lastSeenByPerson(3);
            Http.json(ctx, 200, s.gallery().people().list().stream().map(p -> PersonDetailBody.of(PersonBody.of(p),
                    seen.getOrDefault(p.id(), List.of()).stream().map(x -> SightingRefBody.of(x, s)).toList())).toList());
        }, Auth.Level.ADMIN);
        r.post("/api/people", ctx -> Http.json(ctx, 201,
                PersonBody.of(s.gallery().createPerson(Http.required(Http.body(ctx, NameRequest.class).name(), "name")))), Auth.Level.ADMIN);
        r.get("/api/people/{id}", ctx -> {
            PersonBody p = PersonBody.of(personOr404(s, ctx.pathParam("id")));
            List<SightingRefBody> lastSeen = s.history().search(new EventStore.Filter(Optional.of(p.id()), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), false, 5)).stream()
                    .map(e -> SightingRefBody.of(new EventStore.Seen(e.id(), e.cameraId(), e.lastSeen()), s)).toList();
            Http.json(ctx, 200, PersonDetailBody.of(p, lastSeen));
        }, Auth.Level.ADMIN);
        r.patch("/api/people/{id}", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            String name = Http.required(Http.body(ctx, NameRequest.class).name(), "name");
            Http.json(ctx, 200, PersonBody.of(s.gallery().renamePerson(ctx.pathParam("id"), name)));
        }, Auth.Level.ADMIN);
        r.delete("/api/people/{id}", ctx -> Http.deleted(ctx, s.gallery().deletePerson(ctx.pathParam("id")), "person"), Auth.Level.ADMIN);
        // Two entries for one person (a duplicate, or one enrolled twice): everything moves to "into".
        r.post("/api/people/{id}/merge", ctx -> {
            personOr404(s, ctx.pathParam("id"));
            String into = Http.required(Http.body(ctx, MergeRequest.class).into(), "into");
            Http.json(ctx, 200, PersonBody.of(s.gallery().mergePerson(ctx.pathParam("id"), into)));
        }, Auth.Level.ADMIN);
        r.get("/api/people/{id}/export", ctx -> export(ctx, s, personOr404(s, ctx.pathParam("id"))), Auth.Level.ADMIN);
        r.post("/api/people/import", ctx -> {
            Path dir = confined(s, Http.required(Http.body(ctx, ImportRequest.class).dir(), "dir"));
            FolderImport.Report rep = s.gallery().importFolder(dir);
            Http.json(ctx, 200, new ImportBody(rep.enrolled().size(), rep.people(),
                    rep.rejected().stream().map(x -> new SkippedBody(x.file().toString(), x.reason())).toList()));
        }, Auth.Level.ADMIN);
    }

    /**
     * The folder to import, only when it is inside gallery.dir or the data directory once links are
     * followed: an admin's API call must not turn into a listing of any folder the server can read.
     */
    private static Path confined(PeopleServices s, String requested) throws IOException {
        Path real;
        try {
            real = Path.of(requested).toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new HttpResponseException(422, "dir " + requested + " is not a folder camserver can read");
        }
        for (Path root : s.importRoots()) {
            if (java.nio.file.Files.isDirectory(root) && real.startsWith(root.toRealPath())) {
                return real;
            }
        }
        throw new HttpResponseException(403, "dir must be inside gallery.dir or the data directory ("
                + String.join(", ", s.importRoots().stream().map(Path::toString).toList()) + ")");
    }

    static PeopleStore.PersonInfo personOr404(PeopleServices s, String id) {
        return s.gallery().people().get(id).orElseThrow(() -> new HttpResponseException(404, "no person " + id));
    }

    /** A zip of the person's samples and sightings (thumbnails), with person.json describing them. */
    private static void export(Context ctx, PeopleServices s, PeopleStore.PersonInfo p) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            List<SampleBody> samples = new ArrayList<>();
            for (PeopleStore.SampleInfo si : s.gallery().people().samples(p.id())) {
                samples.add(SampleBody.of(si));
                zip.putNextEntry(new ZipEntry("samples/" + si.id() + ".jpg"));
                zip.write(s.gallery().people().sampleCrop(si.id()).orElse(new byte[0]));
                zip.closeEntry();
            }
            List<EventStore.EventInfo> sightings = s.history().search(new EventStore.Filter(Optional.of(p.id()), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), false, 1000));
            for (EventStore.EventInfo e : sightings) {
                zip.putNextEntry(new ZipEntry("events/" + e.id() + ".jpg"));
                zip.write(s.history().image(e.id(), "thumbnail").orElse(new byte[0]));
                zip.closeEntry();
            }
            PersonBody person = PersonBody.of(p);
            zip.putNextEntry(new ZipEntry("person.json"));
            zip.write(Json.write(new ExportBody(person.id(), person.name(), samples, person.createdAt(), person.thumbnail(),
                    EventBody.of(sightings, s.names()))).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ctx.header("Content-Disposition", "attachment; filename=\"camserver-" + p.id() + ".zip\"").contentType("application/zip")
                .result(buf.toByteArray());
    }
}
