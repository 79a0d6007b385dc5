package io.camserver.ingest;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.image.ImageFormat;
import io.camserver.support.AuthCamera;
import io.camserver.support.Fixtures;
import io.camserver.support.RtspServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras managed at run time through the API, against a real RTSP server and a Digest camera on
 * loopback: added (201), refused with the bad field named (422) or as a duplicate (409), tried
 * out with the test button's endpoint, changed (a wrong password shows as such, the right one
 * brings it back), kept across a restart, deleted for good; credentials never come back.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CameraApiTest {
    @TempDir
    static Path tmp;

    private static JsonNode camera(LiveFixture live, String id) throws Exception {
        return live.camera(id);
    }

    @Test
    void addTestChangeRestartAndDelete() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path video = RtspServer.video(media, "porch", List.of(Fixtures.person("penny", 1), Fixtures.person("penny", 2)), 1.0, "libx264", 10);
        Path config = tmp.resolve("camserver.yaml");
        Files.writeString(config, "cameras:\n  - {id: from-file, url: 'http://127.0.0.1:9/stream'}\n");
        try (RtspServer rtsp = RtspServer.start(media, 0, "admin:s3cret", Map.of("porch", video));
             AuthCamera digest = new AuthCamera(AuthCamera.Scheme.DIGEST, List.of("SHA-256"), "viewer", "d1gest-pw", LiveFixture.frames("raj", 1))) {
            String porch = rtsp.url("porch", null);
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
                ApiClient.Reply added = api.postJson("/api/cameras", "{\"id\":\"porch\",\"url\":\"" + porch
                        + "\",\"username\":\"admin\",\"password\":\"s3cret\",\"fps\":5}");
                assertEquals(201, added.status(), added.body());
                assertEquals("rtsp", added.json().get("kind").asText());
                assertTrue(added.json().get("hasPassword").asBoolean());
                ApiClient.Reply mjpeg = api.postJson("/api/cameras", "{\"id\":\"shop\",\"url\":\"" + digest.url("/stream", "viewer:d1gest-pw") + "\"}");
                assertEquals(201, mjpeg.status(), mjpeg.body());
                for (String id : List.of("porch", "shop")) {
                    LiveFixture.eventually(Duration.ofSeconds(30), id + " streaming", () -> camera(live, id).get("state").asText().equals("streaming"));
                    assertEquals("api", camera(live, id).get("origin").asText());
                }
                assertTrue(camera(live, "shop").get("url").asText().startsWith("http://***@127.0.0.1:"), "credentials shown as ***");

                // Refusals name what was wrong.
                assertEquals(409, api.postJson("/api/cameras", "{\"id\":\"porch\",\"url\":\"" + porch + "\"}").status());
                assertEquals(409, api.postJson("/api/cameras", "{\"id\":\"from-file\",\"url\":\"" + porch + "\"}").status());
                for (String[] bad : new String[][] {
                        {"{\"id\":\"x1\",\"url\":\"ftp://127.0.0.1/a\"}", "url"},
                        {"{\"id\":\"x1\",\"url\":\"not a url\"}", "url"},
                        {"{\"id\":\"Bad Id\",\"url\":\"" + porch + "\"}", "id"},
                        {"{\"url\":\"" + porch + "\"}", "id"},
                        {"{\"id\":\"x1\",\"url\":\"" + porch + "\",\"fps\":\"fast\"}", "fps"},
                        {"{\"id\":\"x1\",\"url\":\"" + porch + "\",\"kind\":\"mjpeg\"}", "kind"},
                        {"{\"id\":\"x1\",\"url\":\"" + porch + "\",\"colour\":\"red\"}", "colour"}}) {
                    ApiClient.Reply r = api.postJson("/api/cameras", bad[0]);
                    assertEquals(422, r.status(), bad[0] + " -> " + r.body());
                    assertEquals(bad[1], r.json().get("field").asText(), r.body());
                }
                assertEquals(409, api.patchJson("/api/cameras/from-file", "{\"fps\":2}").status(), "config-file cameras are not the API's");
                assertEquals(404, api.patchJson("/api/cameras/nosuch", "{\"fps\":2}").status());

                // The test button: a first frame, or why not.
                ApiClient.Bytes ok = api.postForBytes("/api/cameras/test", "{\"url\":\"" + rtsp.url("porch", "admin:s3cret") + "\"}");
                assertEquals(200, ok.status(), new String(ok.body(), StandardCharsets.UTF_8));
                assertTrue(ok.type().startsWith("image/jpeg") && ImageFormat.isJpeg(ok.body()));
                ApiClient.Bytes no = api.postForBytes("/api/cameras/test", "{\"url\":\"" + porch + "\",\"username\":\"admin\",\"password\":\"nope\"}");
                assertEquals(422, no.status());
                assertTrue(new String(no.body(), StandardCharsets.UTF_8).contains("wrong credentials (401)"));

                // A changed password takes effect at once, the right one brings the camera back.
                assertEquals(200, api.patchJson("/api/cameras/porch", "{\"password\":\"nope\"}").status());
                LiveFixture.eventually(Duration.ofSeconds(30), "porch refused", () ->
                        "wrong credentials (401)".equals(camera(live, "porch").path("lastError").asText()));
                assertEquals(200, api.patchJson("/api/cameras/porch", "{\"password\":\"s3cret\"}").status());
                LiveFixture.eventually(Duration.ofSeconds(30), "porch back", () -> camera(live, "porch").get("state").asText().equals("streaming"));

                String everything = api.get("/api/cameras").body() + api.get("/api/cameras/porch").body() + live.get("/metrics").body();
                assertTrue(!everything.contains("s3cret") && !everything.contains("d1gest-pw"), "no credential in any answer");
            }
            // A restart brings them back from the database.
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
                LiveFixture.eventually(Duration.ofSeconds(30), "porch streaming after a restart", () -> camera(live, "porch") != null
                        && camera(live, "porch").get("state").asText().equals("streaming"));
                assertEquals("api", camera(live, "porch").get("origin").asText());
                assertEquals(204, api.delete("/api/cameras/porch").status());
                assertEquals(204, api.delete("/api/cameras/shop").status());
            }
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                assertEquals(null, camera(live, "porch"), "deleted for good");
                assertTrue(live.camera("from-file") != null, "the config file's camera is untouched");
            }
        }
        LiveFixture.waitUntil(Duration.ofSeconds(10), "no ffmpeg left", () -> ProcessHandle.current().descendants()
                .noneMatch(p -> p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false)));
    }
}
