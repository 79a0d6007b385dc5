package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.camserver.gallery.GalleryService;
import io.camserver.ingest.CameraSpec;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} describes exactly the bodies the resources send and take: every request
 * and response record of the web layer has a schema of its name (less "Body"), with the same
 * fields of matching types, every schema is some record's, and every operation says what a
 * success answers. A field added to a record and not to the document (or the other way) fails here.
 */
class OpenApiSchemaTest {
    private static JsonNode doc;
    /** Schema name -> the record it describes. */
    private static final Map<String, Class<?>> RECORDS = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = OpenApiSchemaTest.class.getResourceAsStream("/web/openapi.json")) {
            doc = Json.MAPPER.readTree(in);
        }
        for (var c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.camserver.web")) {
            Class<?> k = Class.forName(c.getName());
            if (k.isRecord() && (k.getSimpleName().endsWith("Body") || k.getSimpleName().endsWith("Request"))) {
                Class<?> before = RECORDS.put(schemaName(k), k);
                assertTrue(before == null || before == k, "two records answer to " + schemaName(k) + ": " + before + " and " + k);
            }
        }
        RECORDS.put("Candidate", GalleryService.Candidate.class);
        assertTrue(RECORDS.size() > 30, "records found: " + RECORDS.keySet());
    }

    private static String schemaName(Class<?> k) {
        String n = k.getSimpleName();
        return n.endsWith("Body") ? n.substring(0, n.length() - 4) : n;
    }

    private static JsonNode schemas() {
        return doc.path("components").path("schemas");
    }

    @Test
    void everyRecordHasASchemaWithTheSameFieldsAndTypes() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Class<?>> e : RECORDS.entrySet()) {
            JsonNode schema = schemas().path(e.getKey());
            if (schema.isMissingNode()) {
                problems.add(e.getKey() + ": no schema for " + e.getValue().getName());
                continue;
            }
            Set<String> fields = new TreeSet<>();
            for (RecordComponent rc : e.getValue().getRecordComponents()) {
                fields.add(rc.getName());
                JsonNode p = schema.path("properties").path(rc.getName());
                if (!p.isMissingNode()) {
                    String why = typeProblem(rc.getGenericType(), p);
                    if (why != null) {
                        problems.add(e.getKey() + "." + rc.getName() + ": " + why);
                    }
                }
            }
            Set<String> documented = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(documented::add);
            if (!fields.equals(documented)) {
                problems.add(e.getKey() + ": record has " + fields + ", schema has " + documented);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everySchemaIsARecordsOrTheCameraRequest() {
        Set<String> orphans = new TreeSet<>();
        schemas().fieldNames().forEachRemaining(orphans::add);
        orphans.removeAll(RECORDS.keySet());
        assertEquals(Set.of("CameraRequest"), orphans, "schemas that describe no record");
        // The camera request is a camera specification plus a name and location for any camera.
        Set<String> fields = new TreeSet<>(CameraSpec.FIELDS);
        fields.addAll(List.of("name", "location"));
        Set<String> documented = new TreeSet<>();
        schemas().path("CameraRequest").path("properties").fieldNames().forEachRemaining(documented::add);
        assertEquals(fields, documented, "CameraRequest against CameraSpec.FIELDS");
    }

    @Test
    void everyOperationSaysWhatASuccessAnswers() {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> op = m.next();
                String name = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                List<String> ok = new ArrayList<>();
                op.getValue().path("responses").fieldNames().forEachRemaining(s -> {
                    if (s.startsWith("2")) {
                        ok.add(s);
                    }
                });
                if (ok.size() != 1) {
                    problems.add(name + ": one success status expected, found " + ok);
                    continue;
                }
                JsonNode content = op.getValue().path("responses").path(ok.get(0)).path("content");
                if (ok.get(0).equals("204")) {
                    if (!content.isMissingNode()) {
                        problems.add(name + ": 204 with content");
                    }
                    continue;
                }
                if (content.isMissingNode() || content.isEmpty()) {
                    problems.add(name + ": " + ok.get(0) + " says nothing of its content");
                    continue;
                }
                JsonNode json = content.path("application/json").path("schema");
                if (!json.isMissingNode() && !path.getKey().equals("/openapi.json") && refs(json).isEmpty()) {
                    problems.add(name + ": JSON answer not described by a schema of components");
                }
                refs(op.getValue()).stream().filter(r -> schemas().path(r).isMissingNode())
                        .forEach(r -> problems.add(name + ": refers to no schema " + r));
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The schema names a node refers to, anywhere in it. */
    private static List<String> refs(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.has("$ref")) {
            out.add(n.get("$ref").asText().replace("#/components/schemas/", ""));
        }
        n.elements().forEachRemaining(c -> out.addAll(refs(c)));
        return out;
    }

    /** Why a property's schema does not fit the Java type, or null when it does. */
    private static String typeProblem(Type t, JsonNode p) {
        Class<?> raw = t instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) t;
        List<String> types = new ArrayList<>();
        JsonNode tn = p.path("type");
        if (tn.isArray()) {
            tn.forEach(x -> types.add(x.asText()));
        } else if (tn.isTextual()) {
            types.add(tn.asText());
        }
        if (raw.isRecord()) {
            return refs(p).contains(schemaName(raw)) ? null : "expected a $ref to " + schemaName(raw) + ", was " + p;
        }
        String expected;
        if (raw == String.class) {
            expected = p.has("enum") ? null : "string";
        } else if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            expected = "integer";
        } else if (raw == float.class || raw == double.class || raw == Float.class || raw == Double.class) {
            expected = "number";
        } else if (raw == boolean.class || raw == Boolean.class) {
            expected = "boolean";
        } else if (raw.isArray() || List.class.isAssignableFrom(raw)) {
            if (!types.contains("array")) {
                return "expected an array, was " + p;
            }
            Type item = raw.isArray() ? raw.getComponentType() : ((ParameterizedType) t).getActualTypeArguments()[0];
            return typeProblem(item, p.path("items"));
        } else {
            return "a field of type " + raw.getName() + " has no JSON type in this check";
        }
        if (expected != null && !types.contains(expected)) {
            return "expected " + expected + ", was " + p;
        }
        assertFalse(types.isEmpty() && expected != null, "type missing: " + p);
        return null;
    }
}
