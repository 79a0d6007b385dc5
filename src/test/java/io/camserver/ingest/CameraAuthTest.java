package io.camserver.ingest;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.AuthCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IP cameras behind HTTP authentication, read for real on loopback: Digest (SHA-256 preferred
 * when offered, MD5 otherwise) for a stream and a snapshot URL, Basic, and a wrong password
 * reported as such. No password crosses the wire before the camera asks for one.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CameraAuthTest {
    @TempDir
    static Path tmp;

    @Test
    void digestAndBasicCamerasStreamAndAWrongPasswordIsToldApart() throws Exception {
        List<byte[]> frames = LiveFixture.frames("penny", 1, 2);
        try (AuthCamera both = new AuthCamera(AuthCamera.Scheme.DIGEST, List.of("SHA-256", "MD5"), "admin", "pa:ss w0rd", frames);
             AuthCamera md5 = new AuthCamera(AuthCamera.Scheme.DIGEST, List.of("MD5"), "viewer", "hunter2", frames);
             AuthCamera basic = new AuthCamera(AuthCamera.Scheme.BASIC, List.of(), "admin", "basic-secret", frames);
             AuthCamera clear = new AuthCamera(AuthCamera.Scheme.BASIC, List.of(), "admin", "clear-secret", frames)) {
            Path config = tmp.resolve("cameras.yaml");
            Files.writeString(config, "cameras:\n"
                    + "  - {id: sha, url: '" + both.url("/stream", "admin:pa%3Ass%20w0rd") + "'}\n"
                    + "  - {id: md5, url: '" + md5.url("/stream", "viewer:hunter2") + "'}\n"
                    + "  - {id: snap, kind: snapshot, interval: 200ms, url: '" + md5.url("/snapshot.jpg?ch=1", "viewer:hunter2") + "'}\n"
                    + "  - {id: basic, auth: basic, url: '" + basic.url("/stream", "admin:basic-secret") + "'}\n"
                    // Basic over plain http without auth: basic: the password would cross the network in clear.
                    + "  - {id: clear, url: '" + clear.url("/stream", "admin:clear-secret") + "'}\n"
                    + "  - {id: wrong, url: '" + both.url("/stream", "admin:not-it") + "'}\n");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                for (String id : List.of("sha", "md5", "snap", "basic")) {
                    LiveFixture.eventually(Duration.ofSeconds(20), id + " streaming", () -> live.camera(id).get("state").asText().equals("streaming")
                            && live.camera(id).get("framesReceived").asLong() >= 3);
                }
                LiveFixture.eventually(Duration.ofSeconds(20), "the wrong password told", () ->
                        "wrong credentials (401)".equals(live.camera("wrong").path("lastError").asText()));
                LiveFixture.eventually(Duration.ofSeconds(20), "Basic over plain http refused, saying what to do", () ->
                        live.camera("clear").path("lastError").asText().contains("set the camera's auth to basic"));
                String api = live.get("/api/cameras").body();
                assertTrue(!api.contains("hunter2") && !api.contains("basic-secret") && !api.contains("w0rd"), api);
            }
            assertTrue(both.seen.stream().anyMatch(a -> a.startsWith("Digest ") && a.contains("algorithm=SHA-256")), "SHA-256 chosen when offered");
            assertTrue(both.seen.stream().noneMatch(a -> a.contains("algorithm=MD5")), "never the weaker one when SHA-256 is offered");
            assertTrue(md5.seen.stream().anyMatch(a -> a.contains("algorithm=MD5")));
            assertTrue(clear.seen.stream().noneMatch(a -> a.startsWith("Basic ")), "the password never sent in clear without auth: basic");
            for (AuthCamera c : List.of(both, md5, basic)) {
                assertEquals("", c.seen.get(0), "the first request carries no credentials");
                assertTrue(c.seen.stream().noneMatch(a -> a.startsWith("Basic ")) || c == basic, "no Basic to a Digest camera");
            }
        }
    }
}
