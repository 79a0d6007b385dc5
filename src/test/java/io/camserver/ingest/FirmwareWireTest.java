package io.camserver.ingest;

import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.mjpeg.MjpegReader;
import io.camserver.sim.Firmware;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Across languages: the firmware's C++ modules (esp32cam/lib/camcore, built for the host)
 * produce the registration request and an MJPEG stream; camserver's registration endpoint and
 * MJPEG parser must accept exactly those bytes.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class FirmwareWireTest {
    private static Path vectors(Path tmp, String ip, String token, List<Path> jpegs) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-C", root.resolve("esp32cam").toString(), "vectors",
                "OUT=" + tmp, "IP=" + ip, "TOKEN=" + token));
        cmd.add("JPEGS=" + String.join(" ", jpegs.stream().map(Path::toString).toList()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "make vectors timed out");
        assertEquals(0, p.exitValue(), "make vectors failed:\n" + out);
        return tmp;
    }

    private static List<Path> sampleJpegs(Path tmp) throws Exception {
        List<Path> out = new ArrayList<>();
        int i = 0;
        for (byte[] f : LiveFixture.frames("bernadette", 1, 2, 3)) {
            out.add(Files.write(tmp.resolve("frame" + (i++) + ".jpg"), f));
        }
        return out;
    }

    @Test
    void theFirmwaresRegistrationBytesAreTheProtocolsAndTheServerAcksThem(@TempDir Path tmp) throws Exception {
        // "-": the tool makes the token as the firmware does, 128 random bits as 32 hex digits.
        Path v = vectors(tmp, "127.0.0.1:9", "-", sampleJpegs(tmp));
        String token = Files.readString(v.resolve("token.txt"));
        assertTrue(token.matches("[0-9a-f]{32}"), "a 128-bit token: " + token);
        byte[] request = Files.readAllBytes(v.resolve("registration.bin"));
        assertArrayEquals(Firmware.registrationRequest("127.0.0.1:9", token), request, "C++ and Java agree on the bytes");
        assertEquals("GET /register?ip=127.0.0.1:9&token=" + token
                        + " HTTP/1.1\r\nHost: microshift-cam-reg.local\r\nConnection: close\r\n\r\n",
                new String(request, StandardCharsets.US_ASCII));
        try (LiveFixture live = LiveFixture.start(tmp.resolve("server"), Map.of());
             Socket s = new Socket("127.0.0.1", live.server.port())) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n") && reply.endsWith("ACK"), reply);
            assertEquals(token, live.server.registry().get("127-0-0-1-9").orElseThrow().token().orElseThrow(),
                    "the server keeps the whole 128-bit token");
        }
    }

    @Test
    void camserverParsesTheFirmwaresMjpegFramingAndStreamsIt(@TempDir Path tmp) throws Exception {
        List<Path> jpegs = sampleJpegs(tmp);
        Path v = vectors(tmp, "127.0.0.1", "0a1b2c3d", jpegs);
        byte[] stream = Files.readAllBytes(v.resolve("stream.mjpeg"));

        // 1. The parser, directly: the response head's Content-Type gives the boundary.
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(stream));
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
        String type = head.lines().filter(l -> l.startsWith("Content-Type:")).findFirst().orElseThrow().substring(13).trim();
        MjpegReader r = new MjpegReader(in, MjpegReader.boundaryOf(type), IngestLimits.DEFAULT);
        for (Path j : jpegs) {
            Optional<byte[]> f = r.next();
            assertTrue(f.isPresent());
            assertArrayEquals(Files.readAllBytes(j), f.get(), "frame " + j.getFileName() + " byte for byte");
        }
        assertTrue(r.next().isEmpty(), "clean end after the last trailer");

        // 2. The live server pulling a camera that sends exactly those bytes (again and again).
        try (LiveFixture live = LiveFixture.start(tmp.resolve("server"), Map.of());
             FakeCamera cam = new FakeCamera(out -> {
                 out.write(stream, 0, head.length());
                 byte[] parts = java.util.Arrays.copyOfRange(stream, head.length(), stream.length);
                 for (int i = 0; i < 100; i++) {
                     out.write(parts);
                     out.flush();
                     Thread.sleep(300);
                 }
             })) {
            assertEquals("ACK", live.get("/register?ip=127.0.0.1:" + cam.port() + "&token=0a1b2c3d").body());
            String id = "127-0-0-1-" + cam.port();
            LiveFixture.eventually(Duration.ofSeconds(10), "firmware stream analysed",
                    () -> "streaming".equals(live.camera(id).get("state").asText()) && live.camera(id).get("framesReceived").asLong() >= 6
                            && live.camera(id).get("corruptFrames").asLong() == 0);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("no response head");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
