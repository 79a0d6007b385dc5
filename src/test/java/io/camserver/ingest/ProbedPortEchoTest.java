package io.camserver.ingest;

import io.camserver.support.FakeCamera;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Using the server to read what other ports say: whatever a probed port or a hostile camera sends
 * (a service banner, an HTTP reason phrase, headers, control characters) never comes back in
 * {@code lastError}, the API or the logs: the server describes failures in its own words.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ProbedPortEchoTest {
    private static final String SECRET = "db-admin-password-Hunter2";

    @Test
    void whatAPortAnswersIsNeverEchoedBack(@TempDir Path tmp) throws Exception {
        Map<String, FakeCamera.Behaviour> services = new LinkedHashMap<>();
        services.put("ssh", out -> out.write(("SSH-2.0-OpenSSH_9.2 " + SECRET + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        services.put("http error", out -> out.write(("HTTP/1.1 500 " + SECRET + "\r\nServer: internal-billing\r\nContent-Type: text/html\r\n\r\n<h1>"
                + SECRET + "</h1>").getBytes(StandardCharsets.US_ASCII)));
        services.put("html page", out -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/x-" + SECRET + "\r\n\r\n" + SECRET)
                .getBytes(StandardCharsets.US_ASCII)));
        services.put("escape codes", out -> out.write(("HTTP/1.1 200 \u001b[2J\u001b]0;" + SECRET + "\u0007\r\nContent-Type: image/png\r\n"
                + "Content-Length: zz\u001b[31m\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        Map<String, String> expected = Map.of(
                "ssh", "not an HTTP response (45 bytes that do not start with HTTP/1.x)",
                "http error", "camera answered HTTP 500 (camera error)",
                "html page", "camera sent text, expected multipart/x-mixed-replace or image/jpeg",
                "escape codes", "response has a Content-Length that is not a number");
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            Map<String, FakeCamera> fakes = new LinkedHashMap<>();
            for (var e : services.entrySet()) {
                FakeCamera f = new FakeCamera(e.getValue(), LiveFixture.newCameraAddress());
                fakes.put(e.getKey(), f);
                assertEquals("ACK", f.registerWith(live.server.port(), "feedbeef").body());
            }
            try {
                for (var e : fakes.entrySet()) {
                    LiveFixture.eventually(Duration.ofSeconds(10), e.getKey() + " described",
                            () -> expected.get(e.getKey()).equals(live.camera(e.getValue().id()).get("lastError").asText("")));
                }
                String all = live.get("/api/cameras").body() + live.get("/metrics").body();
                assertFalse(all.contains(SECRET), "nothing a port said is in the API or the metrics");
                assertFalse(all.contains("internal-billing"));
                assertTrue(all.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no control characters");
            } finally {
                for (FakeCamera f : fakes.values()) {
                    f.close();
                }
            }
        }
    }

    @Test
    void logLinesCannotBeForgedOrCarryTerminalCodes() throws Exception {
        // The encoder the server really logs with (the shipped logback.xml, in a context of its
        // own: the tests log to files), fed a message with CR/LF and escapes.
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        ch.qos.logback.classic.joran.JoranConfigurator jc = new ch.qos.logback.classic.joran.JoranConfigurator();
        jc.setContext(ctx);
        jc.doConfigure(getClass().getResource("/logback.xml"));
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var appender = (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("OUT");
        LoggingEvent event = new LoggingEvent("x", ctx.getLogger("test"), ch.qos.logback.classic.Level.INFO,
                "camera offline: {}", null, new Object[] {"bad\r\nts=2026 level=ERROR msg=\"forged\" \u001b[31mred\u0007"});
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("msg=\"camera offline: bad??ts=2026 level=ERROR msg=\\\"forged\\\" ?[31mred?\""), line);
        ctx.stop();
    }
}
