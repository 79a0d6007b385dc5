package io.camserver.web;

import io.camserver.image.ImageDecodeException;
import io.camserver.ingest.CameraCatalog;
import io.camserver.ingest.InvalidField;
import io.camserver.store.ConflictException;
import io.camserver.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.util.NoSuchElementException;

/**
 * Every exception a handler lets out, turned into a status and a JSON body in one place, so a
 * resource throws what went wrong and never builds an error response itself.
 */
final class Errors {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    /** 409 for a name already taken, with the person who has it. */
    record NameTakenBody(String error, ExistingBody existing) {
    }

    /** The person who has the name. */
    record ExistingBody(String id, String name) {
    }

    /** A request field that cannot be used: 422 with the field named, so a form can mark it. */
    record FieldErrorBody(String error, String field) {
    }

    static void install(JavalinConfig cfg) {
        var r = cfg.routes;
        r.exception(HttpResponseException.class, (e, ctx) -> Http.error(ctx, e.getStatus(), e.getMessage()));
        r.exception(InvalidField.class, (e, ctx) -> Http.json(ctx, 422, new FieldErrorBody(e.getMessage(), e.field())));
        r.exception(CameraCatalog.Taken.class, (e, ctx) -> Http.error(ctx, 409, e.getMessage()));
        r.exception(CameraCatalog.Busy.class, (e, ctx) -> {
            ctx.header("Retry-After", "5");
            Http.error(ctx, 503, e.getMessage());
        });
        r.exception(NoSuchElementException.class, (e, ctx) -> Http.error(ctx, 404, e.getMessage()));
        // The store says "no ..." for something missing and anything else for a conflict (a name in use).
        // The database away: say so without its address (this can reach a client not yet logged
        // in, from the login check) and log the rest.
        r.exception(StoreException.class, (e, ctx) -> {
            if (e.unavailable()) {
                log.warn("{} {}: the database is unreachable: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "5");
                Http.error(ctx, 503, "the database is unreachable, so nothing was read or changed; try again in a moment "
                        + "(live cameras and names go on, and sightings are kept until it is back)");
            } else {
                log.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage(), e);
                Http.error(ctx, 500, "the database refused the request; the server log has the details");
            }
        });
        // A name that is someone's already: 409 with that person, so a client can offer "add to Maya?".
        r.exception(io.camserver.store.NameTakenException.class, (e, ctx) -> Http.json(ctx, 409, new NameTakenBody(e.getMessage(),
                new ExistingBody(e.existing().id(), e.existing().name()))));
        r.exception(ConflictException.class, (e, ctx) -> Http.error(ctx, e.getMessage().startsWith("no ") ? 404 : 409, e.getMessage()));
        r.exception(ImageDecodeException.class, (e, ctx) -> Http.error(ctx, 422, e.getMessage()));
        r.exception(IllegalArgumentException.class, (e, ctx) -> Http.error(ctx, 400, e.getMessage()));
    }
}
