package io.camserver.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.LiveFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A "camera" that answers Digest, streams, then asks for Basic (a device in the middle, or a
 * swapped one, fishing for the password in clear): it never gets the password, and the camera's
 * error says why.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class AuthDowngradeTest {
    @Test
    void aCameraThatAsksForBasicAfterDigestNeverGetsThePassword(@TempDir Path tmp) throws Exception {
        byte[] jpeg = LiveFixture.frames("penny", 1).get(0);
        List<String> authorizations = new CopyOnWriteArrayList<>();
        AtomicInteger streamed = new AtomicInteger();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        String auth = "";
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("authorization:")) {
                                auth = line.substring(14).trim();
                            }
                        }
                        authorizations.add(auth);
                        OutputStream out = s.getOutputStream();
                        if (streamed.get() > 0) {
                            out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"cam\"\r\nContent-Length: 0\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        } else if (auth.startsWith("Digest ")) {
                            streamed.incrementAndGet();
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=f\r\n\r\n--f\r\nContent-Type: image/jpeg\r\n"
                                    + "Content-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(jpeg);
                            out.write("\r\n--f\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        } else {
                            out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"cam\", nonce=\"n1\", qop=\"auth\", "
                                    + "algorithm=SHA-256\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.flush();
                    } catch (java.io.IOException e) {
                        // next connection
                    }
                }
            });
            String url = "http://admin:pass-W0rd@127.0.0.1:" + server.getLocalPort() + "/stream";
            Path config = Files.writeString(tmp.resolve("camserver.yaml"), "cameras:\n  - {id: cam, url: '" + url + "'}\n");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                LiveFixture.eventually(Duration.ofSeconds(20), "the downgrade refused in words", () ->
                        live.camera("cam").path("lastError").asText().equals("camera asked for Basic after Digest: the password is not sent in clear"));
            }
        }
        assertTrue(streamed.get() >= 1, "it streamed with Digest first");
        assertTrue(authorizations.stream().noneMatch(a -> a.startsWith("Basic")), "never Basic: " + authorizations);
    }
}
