package io.camserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * What every resource does with a request and a response: JSON bodies in and out as records,
 * uploads within their limit, query parameters parsed with a reason when they are not what they
 * should be. Errors are thrown ({@link HttpResponseException}, or the domain's own exceptions)
 * and turned into responses in one place ({@link Errors}).
 */
final class Http {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private Http() {
    }

    /** The error body of every failed request. */
    record ErrorBody(String error) {
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(Json.write(body));
    }

    static void error(Context ctx, int status, String message) {
        json(ctx, status, new ErrorBody(message == null ? "error" : message));
    }

    /** A JSON object as the record {@code type}; a missing field is null, an unknown one ignored. */
    static <T> T body(Context ctx, Class<T> type) throws IOException {
        ObjectReader reader = Json.REQUESTS.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        byte[] raw = RequestGuard.smallBody(ctx);
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(raw); // parsed once: checked, then bound
            if (tree == null || !tree.isObject()) {
                throw new HttpResponseException(400, "request body must be a JSON object");
            }
            return reader.readValue(tree);
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new HttpResponseException(400, "field '" + field + "' has the wrong type (" + e.getOriginalMessage().split("\n")[0] + ")");
        } catch (JsonProcessingException e) {
            throw new HttpResponseException(400, "request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON object's fields as the values JSON gave them (numbers as numbers, the rest as text). */
    static Map<String, Object> fields(Context ctx) throws IOException {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        var node = Json.MAPPER.readTree(RequestGuard.smallBody(ctx));
        if (node == null || !node.isObject()) {
            throw new HttpResponseException(400, "request body must be a JSON object");
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().isNumber() ? (Object) e.getValue().numberValue() : e.getValue().asText()));
        return out;
    }

    /** A required string field of a request record. */
    static String required(String value, String field) {
        if (value == null) {
            throw new HttpResponseException(400, "field '" + field + "' (a string) is required");
        }
        return value;
    }

    /** 204 when something was deleted, else 404 naming what was not there. */
    static void deleted(Context ctx, boolean found, String what) {
        if (!found) {
            throw new HttpResponseException(404, "no " + what + " " + ctx.pathParam("id"));
        }
        ctx.status(204);
    }

    static void jpeg(Context ctx, Optional<byte[]> data, String what) {
        byte[] d = data.orElseThrow(() -> new HttpResponseException(404, "no " + what + " " + ctx.pathParam("id")));
        ctx.header("Cache-Control", "private, max-age=300").contentType("image/jpeg").result(d);
    }

    /** The uploaded {@code image} part, size-checked before and after reading. */
    static byte[] upload(Context ctx, long max) throws IOException {
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

    static int intParam(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be a whole number (was '" + v + "')");
        }
    }

    static long longParam(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new HttpResponseException(400, name + " must be epoch milliseconds (was '" + v + "')");
        }
    }

    /** A score as the API shows it: three decimals. */
    static double round(float v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
