package io.camserver.web;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.web.WebServer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API document served at /openapi.json and the routes the server really installs agree in
 * both directions, and every route declares who may call it.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class OpenApiTest {
    @Test
    void theDocumentAndTheRouteTableAgreeAndEveryRouteDeclaresItsLevel(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            Set<String> routes = new TreeSet<>();
            for (WebServer.Route r : live.server.routes()) {
                if (r.method().equals("HEAD") || r.method().equals("OPTIONS")) {
                    continue;
                }
                assertTrue(r.level() != null, r.method() + " " + r.path() + " declares no level (PUBLIC, LIVE, METRICS or ADMIN)");
                routes.add(r.method() + " " + r.path());
            }
            JsonNode doc = LiveFixture.JSON.readTree(live.anonymous("/openapi.json").body());
            Set<String> documented = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> path = p.next();
                for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
                    String method = m.next();
                    if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                        documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                    }
                }
            }
            Set<String> undocumented = new TreeSet<>(routes);
            undocumented.removeAll(documented);
            Set<String> phantom = new TreeSet<>(documented);
            phantom.removeAll(routes);
            assertEquals(Set.of(), undocumented, "routes missing from /openapi.json");
            assertEquals(Set.of(), phantom, "documented operations that no route serves");
        }
    }
}
