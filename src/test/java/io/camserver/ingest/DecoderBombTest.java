package io.camserver.ingest;

import io.camserver.support.ApiClient;
import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;
import io.camserver.support.ServerProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import io.camserver.support.TestImages;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs on every path an image takes into the server: an MJPEG part labelled
 * image/jpeg that is really a 16000x16000 lossless WebP (36 bytes, 1 GiB once decoded), the same
 * from a snapshot camera, as an upload to identify and to enroll, and in a folder import (with a
 * file over the byte cap beside it). The server runs as a process of its own so that its own peak
 * memory is what is measured; a real camera keeps streaming and being analysed throughout.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class DecoderBombTest {
    private static final byte[] BOMB = TestImages.webpBomb(16000, 16000);

    private static void part(OutputStream out, byte[] data) throws java.io.IOException {
        out.write(("--b\r\nContent-Type: image/jpeg\r\nContent-Length: " + data.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void bombsAreRefusedFromTheirHeadersOnEveryPathAndTheServerStaysSmall(@TempDir Path tmp) throws Exception {
        byte[] jpeg = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
        byte[] png = Files.readAllBytes(Fixtures.person("amy", 1));
        // A camera whose every other "JPEG" is a WebP bomb, and now and then a PNG.
        FakeCamera.Behaviour mixed = out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
                part(out, i % 2 == 0 ? jpeg : i % 6 == 1 ? png : BOMB);
                Thread.sleep(50);
            }
        };
        FakeCamera.Behaviour snapshotBomb = out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " + BOMB.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(BOMB);
        };
        // Inside the server's data directory: the only place (with gallery.dir) an import may read.
        Path gallery = Files.createDirectories(tmp.resolve("server/data/import/Eve"));
        Files.write(gallery.resolve("bomb.webp"), BOMB);
        Files.write(gallery.resolve("huge.jpg"), new byte[3 << 20]);
        Files.copy(Fixtures.person("amy", 2), gallery.resolve("eve.png"));

        try (FakeCamera bomber = new FakeCamera(mixed, LiveFixture.newCameraAddress());
             FakeCamera snapshots = new FakeCamera(snapshotBomb, LiveFixture.newCameraAddress())) {
            Path config = Files.writeString(tmp.resolve("camserver.yaml"), """
                    cameras:
                      - id: snapshot-bomb
                        url: http://%s:%d/capture
                        kind: snapshot
                        interval: 200ms
                    """.formatted(snapshots.address().getHostAddress(), snapshots.port()));
            try (ServerProcess server = ServerProcess.start(tmp.resolve("server"), Map.of("CAMSERVER_UPLOAD_MAX_BYTES", "2097152"),
                    "--config", config.toString())) {
                ApiClient api = new ApiClient(server.base(), LiveFixture.BASIC);
                InetAddress own = LiveFixture.newCameraAddress();
                try (SimulatedCamera good = new SimulatedCamera(LiveFixture.frames("amy", 1, 2), 10, 0, server.base(), own.getHostAddress(),
                        Duration.ofSeconds(15), own).start()) {
                    String goodId = LiveFixture.idOf(good);
                    assertEquals("ACK", bomber.registerWith(server.port(), "feedbeef").body());

                    // 1. MJPEG parts that are not JPEG by their bytes are skipped and counted, never decoded.
                    LiveFixture.eventually(Duration.ofSeconds(20), "bomb parts counted as corrupt", () -> {
                        JsonNode c = camera(api, bomber.id());
                        return c.get("corruptFrames").asLong() >= 20 && c.get("framesAnalysed").asLong() >= 10
                                && "streaming".equals(c.get("state").asText());
                    });
                    // 2. A snapshot camera answering with the bomb: refused before any decoding.
                    LiveFixture.eventually(Duration.ofSeconds(10), "snapshot bomb refused",
                            () -> camera(api, "snapshot-bomb").get("lastError").asText("").startsWith("snapshot is not a JPEG"));
                    // 3. Uploads: identify and enroll.
                    ApiClient.Reply identify = api.upload("/api/identify", "big.webp", BOMB);
                    assertEquals(422, identify.status(), identify.body());
                    assertEquals("WEBP declares 16000x16000 = 256000000 pixels, over the limit of 40000000",
                            identify.json().get("error").asText());
                    String eve = api.postJson("/api/people", "{\"name\":\"Eve\"}").json().get("id").asText();
                    ApiClient.Reply enroll = api.upload("/api/people/" + eve + "/samples", "big.webp", BOMB);
                    assertEquals(422, enroll.status(), enroll.body());
                    // 4. Folder import: each bad file skipped with its reason, the good one enrolled.
                    ApiClient.Reply imported = api.postJson("/api/people/import",
                            "{\"dir\":" + LiveFixture.JSON.writeValueAsString(gallery.getParent().toString()) + "}");
                    assertEquals(200, imported.status(), imported.body());
                    assertEquals(1, imported.json().get("enrolled").asInt(), imported.body());
                    String skipped = imported.json().get("skipped").toString();
                    assertTrue(skipped.contains("WEBP declares 16000x16000 = 256000000 pixels"), skipped);
                    assertTrue(skipped.contains("file is 3145728 bytes, over the limit of 2097152"), skipped);

                    // The real camera was analysed throughout, and the server never grew near a decoded bomb.
                    long analysed = camera(api, goodId).get("framesAnalysed").asLong();
                    LiveFixture.eventually(Duration.ofSeconds(10), "good camera still analysed",
                            () -> camera(api, goodId).get("framesAnalysed").asLong() > analysed + 5);
                    assertTrue(server.alive());
                    long peak = server.peakRssMiB();
                    System.out.println("DecoderBombTest: server peak RSS " + peak + " MiB");
                    assertTrue(peak < 800, "server peak RSS " + peak + " MiB (limit 800)");
                }
            }
        }
    }

    private static JsonNode camera(ApiClient api, String id) throws Exception {
        return api.get("/api/cameras/" + id).json();
    }
}
