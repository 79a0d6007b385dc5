package io.camserver.web;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send too much: large bodies to routes that take a few bytes, a flood of uploads,
 * and an API client hammering with Basic credentials. Each costs the server a bounded amount.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class RequestFloodTest {
    /** The status code of a raw request; reads the reply head only. */
    private static int raw(LiveFixture live, String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", live.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] status = in.readNBytes(12);
            return Integer.parseInt(new String(status, StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    @Test
    void smallRoutesRefuseLargeBodiesBeforeReadingThem(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            // Declared 16 MiB, nothing sent: the answer must come without waiting for the body.
            assertEquals(413, raw(live, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16777216\r\n\r\n",
                    new byte[0]));
            assertEquals(413, raw(live, "GET /register?ip=127.0.0.1&token=abcd1234 HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n",
                    new byte[0]));
            assertEquals(413, raw(live, "POST /api/people HTTP/1.1\r\nHost: x\r\nAuthorization: " + LiveFixture.BASIC
                    + "\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n", new byte[0]));
            // Chunked, so no length is declared: still cut at 64 KiB.
            byte[] chunk = new byte[100 << 10];
            java.util.Arrays.fill(chunk, (byte) 'a');
            byte[] chunked = concat(("19000\r\n").getBytes(StandardCharsets.US_ASCII), chunk, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(413, raw(live, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n", chunked));
            // The small routes still work with small bodies, and the upload routes take photos.
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            assertEquals(201, api.postJson("/api/people", "{\"name\":\"Amy\"}").status());
            ApiClient.Reply photo = api.upload("/api/identify", "scene.jpg", Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg")));
            assertEquals(200, photo.status(), photo.body());
            assertEquals(200, raw(live, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 28\r\nConnection: close\r\n\r\n", "password=test-admin-password".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void uploadsBeyondTheConcurrentLimitAreTurnedAwayWith503(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("upload.maxConcurrent", "1"))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            byte[] photo = Files.readAllBytes(Fixtures.person("amy", 1));
            // A slow upload holds the one slot: its headers arrive, its body trickles.
            try (Socket slow = new Socket("127.0.0.1", live.server.port())) {
                String boundary = "slowslowslow";
                slow.getOutputStream().write(("POST /api/identify HTTP/1.1\r\nHost: x\r\nAuthorization: " + LiveFixture.BASIC
                        + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 2000000\r\n\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                slow.getOutputStream().write(new byte[4096]);
                slow.getOutputStream().flush();
                LiveFixture.eventually(Duration.ofSeconds(10), "a second upload is turned away", () -> {
                    ApiClient.Reply r = api.upload("/api/identify", "amy.png", photo);
                    return r.status() == 503 && r.body().contains("upload.maxConcurrent");
                });
            }
            LiveFixture.eventually(Duration.ofSeconds(10), "the slot is free again once the slow client left",
                    () -> api.upload("/api/identify", "amy.png", photo).status() == 200);
        }
    }

    @Test
    void anApiClientCostsOnePasswordCheckAMinuteNotOneARequest(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            api.get("/api/people");
            double before = checks(live);
            for (int i = 0; i < 30; i++) {
                assertEquals(200, api.get("/api/people").status());
            }
            assertEquals(before, checks(live), "30 requests, no new PBKDF2 run");
            ApiClient wrong = new ApiClient(live.base(), "Basic " + java.util.Base64.getEncoder().encodeToString("admin:nope-nope".getBytes()));
            assertEquals(401, wrong.get("/api/people").status());
            assertTrue(checks(live) > before, "a wrong password is always checked (and throttled), never cached");
        }
    }

    private static double checks(LiveFixture live) throws Exception {
        return live.get("/metrics").body().lines().filter(l -> l.startsWith("camserver_auth_password_checks "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
