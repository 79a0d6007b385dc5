package io.camserver.ingest;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.AuthCamera;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https:// camera with a self-signed certificate (made here with keytool), as many are: refused
 * by default with the reason in words (the certificate is not trusted), read when the camera is
 * marked {@code insecure: true}, in the config file and through the API.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class HttpsCameraTest {
    @TempDir
    static Path tmp;

    private static SSLContext selfSigned() throws Exception {
        Path ks = tmp.resolve("camera.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "cam",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ipcam.local", "-ext", "SAN=dns:ipcam.local,ip:127.0.0.1",
                "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Test
    void aSelfSignedCameraIsRefusedUntilMarkedInsecure() throws Exception {
        try (AuthCamera cam = new AuthCamera(AuthCamera.Scheme.DIGEST, List.of("SHA-256"), "admin", "tls-pw", LiveFixture.frames("amy", 1),
                selfSigned())) {
            Path config = tmp.resolve("cameras.yaml");
            Files.writeString(config, "cameras:\n"
                    + "  - {id: strict, url: '" + cam.url("/stream", "admin:tls-pw") + "'}\n"
                    + "  - {id: lenient, url: '" + cam.url("/stream", "admin:tls-pw") + "', insecure: true}\n");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of(), config)) {
                LiveFixture.eventually(Duration.ofSeconds(20), "lenient streaming over TLS", () ->
                        live.camera("lenient").get("state").asText().equals("streaming"));
                LiveFixture.eventually(Duration.ofSeconds(20), "strict refused with the reason", () -> live.camera("strict").path("lastError").asText()
                        .equals("TLS: the camera's certificate is not trusted (self-signed? set insecure: true for this camera)"));
                ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
                ApiClient.Reply added = api.postJson("/api/cameras", "{\"id\":\"api-tls\",\"url\":\"" + cam.url("/stream", null)
                        + "\",\"username\":\"admin\",\"password\":\"tls-pw\",\"insecure\":true}");
                assertEquals(201, added.status(), added.body());
                assertTrue(added.json().get("insecure").asBoolean());
                LiveFixture.eventually(Duration.ofSeconds(20), "api-tls streaming", () -> live.camera("api-tls").get("state").asText().equals("streaming"));
            }
        }
    }
}
