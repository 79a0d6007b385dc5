package io.camserver.mdns;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.deploy.MdnsProbe;
import io.camserver.support.Netns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera in its own network namespace resolves {@code microshift-cam-reg.local} by mDNS to
 * camserver's address (camserver announcing it itself, with JmDNS) and registers there.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class MdnsRegistrationTest {
    @Test
    void aCameraSideNamespaceResolvesCamserverByMdnsAndRegisters(@TempDir Path tmp) throws Exception {
        try (Netns cam = Netns.create("camsrv-mdns-cam")) {
            cam.link("cmdns-h", null, "10.77.0.1/24", "cmdns-c", "10.77.0.2/24");
            try (LiveFixture live = LiveFixture.start(tmp, Map.of("mdns.enabled", "true", "mdns.address", "10.77.0.1",
                    "server.host", "0.0.0.0"))) {
                String java = ProcessHandle.current().info().command().orElse("java");
                Process probe = cam.start(List.of(java, "-cp", System.getProperty("java.class.path"), MdnsProbe.class.getName(),
                        "microshift-cam-reg.local", "cmdns-c", String.valueOf(live.server.port()), "10.77.0.2", "0a1b2c3d"));
                assertTrue(probe.waitFor(40, TimeUnit.SECONDS), "probe finished");
                String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, probe.exitValue(), out);
                assertTrue(out.contains("resolved 10.77.0.1"), out);
                assertTrue(out.contains("HTTP/1.1 200") && out.trim().endsWith("ACK"), out);
                assertTrue(live.server.registry().get("10-77-0-2").isPresent(), "the camera is registered with camserver");
            }
        }
    }
}
