package io.camserver.ingest.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.LiveFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: an RTSP camera (or whoever answers at its address) redirects to another host, where
 * FFmpeg would answer a challenge with the camera's credentials. The redirect is refused in words,
 * FFmpeg is never started, and the other host hears nothing.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class RtspRedirectTest {
    @Test
    void aRedirectToAnotherHostIsRefusedAndTheCredentialsStay(@TempDir Path tmp) throws Exception {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        List<String> asked = new CopyOnWriteArrayList<>();
        try (ServerSocket other = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.77"));
             ServerSocket camera = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.76"))) {
            Thread.ofVirtual().start(() -> serve(other, elsewhere, null));
            Thread.ofVirtual().start(() -> serve(camera, asked, "RTSP/1.0 302 Moved Temporarily\r\nCSeq: 1\r\nLocation: rtsp://127.0.0.77:"
                    + other.getLocalPort() + "/stream\r\n\r\n"));
            String url = "rtsp://admin:rtsp-secret@127.0.0.76:" + camera.getLocalPort() + "/stream";
            Path config = Files.writeString(tmp.resolve("camserver.yaml"), "cameras:\n  - {id: moved, url: '" + url + "'}\n");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                LiveFixture.eventually(Duration.ofSeconds(20), "the redirect refused in words", () -> live.camera("moved").path("lastError").asText()
                        .startsWith("camera redirects to 127.0.0.77:" + other.getLocalPort() + " (RTSP 302); a redirect to another host is not followed"));
                LiveFixture.eventually(Duration.ofSeconds(10), "asked again on reconnect", () -> asked.size() >= 2);
            }
            assertTrue(elsewhere.isEmpty(), "the other host heard nothing: " + elsewhere);
            for (String request : asked) {
                assertTrue(request.startsWith("DESCRIBE rtsp://127.0.0.76:"), request);
                assertTrue(!request.contains("rtsp-secret") && !request.toLowerCase().contains("authorization"), "asked without credentials: " + request);
            }
            assertEquals(0, asked.stream().filter(r -> r.contains("User-Agent: Lavf")).count(), "FFmpeg never started on it");
        }
    }

    /** Records each request head; answers {@code reply} (or nothing). */
    private static void serve(ServerSocket server, List<String> heads, String reply) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                int c;
                while (!head.toString().endsWith("\r\n\r\n") && head.length() < 8192 && (c = in.read()) >= 0) {
                    head.append((char) c);
                }
                heads.add(head.toString());
                if (reply != null) {
                    s.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // closed at the end of the test, or a client gone
            }
        }
    }
}
