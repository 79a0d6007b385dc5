package io.camserver.web;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.camserver.support.Chromium;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a web page that a LAN user opens can make their browser do to camserver: register a
 * camera with an {@code <img>}, reach the server through a DNS name it controls (rebinding), or
 * frame the UI. A real Chromium visits a real attacker page served from another origin.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class WebPageAttackTest {
    private static String rawStatus(LiveFixture live, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", live.server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return reply.substring(9, 12) + " " + reply.substring(reply.indexOf("\r\n\r\n") + 4);
        }
    }

    private static double refused(LiveFixture live) throws Exception {
        return live.get("/metrics").body().lines().filter(l -> l.startsWith("camserver_registrations_total{result=\"refused\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void aPageInABrowserCannotRegisterACamera(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            String target = "http://127.0.0.1:" + live.server.port() + "/register?ip=127.0.0.1:9&token=evil1234";
            HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] page = ("<!doctype html><title>cute cats</title><img src=\"" + target + "\" "
                    + "onerror=\"document.title='requested'\" onload=\"document.title='requested'\">").getBytes(StandardCharsets.UTF_8);
            attacker.createContext("/", ex -> {
                ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, page.length);
                ex.getResponseBody().write(page);
                ex.close();
            });
            attacker.start();
            WebDriver browser = Chromium.start(tmp.resolve("profile"));
            try {
                double before = refused(live);
                browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
                new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> "requested".equals(d.getTitle()));
                LiveFixture.eventually(Duration.ofSeconds(5), "the browser's request was refused", () -> refused(live) > before);
                assertEquals(0, live.cameras().size(), "no camera was registered");
            } finally {
                browser.quit();
                attacker.stop(0);
            }
            // The same, by hand: a browser's headers say where the request came from.
            assertEquals("403 registration from a web page refused: cameras send no Origin or Sec-Fetch-Site header",
                    rawStatus(live, "GET /register?ip=127.0.0.1:9&token=evil1234 HTTP/1.1\r\nHost: microshift-cam-reg.local\r\n"
                            + "Origin: http://cats.example\r\nConnection: close\r\n\r\n"));
            assertTrue(rawStatus(live, "GET /register?ip=127.0.0.1:9&token=evil1234 HTTP/1.1\r\nHost: microshift-cam-reg.local\r\n"
                    + "Sec-Fetch-Site: cross-site\r\nConnection: close\r\n\r\n").startsWith("403 "));
            assertEquals(0, live.cameras().size());
        }
    }

    @Test
    void aRebindingHostNameIsRefusedWhenTheHostsAreListed(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("server.allowedHosts", "camserver.local,microshift-cam-reg.local"))) {
            String refused = rawStatus(live, "GET / HTTP/1.1\r\nHost: cats.example\r\nConnection: close\r\n\r\n");
            assertTrue(refused.startsWith("421 "), refused);
            assertTrue(refused.contains("does not answer to the host name 'cats.example' (server.allowedHosts)"), refused);
            assertTrue(rawStatus(live, "GET /api/cameras HTTP/1.1\r\nHost: cats.example:5000\r\nAuthorization: " + LiveFixture.BASIC
                    + "\r\nConnection: close\r\n\r\n").startsWith("421 "), "credentials do not help a wrong host");
            assertTrue(rawStatus(live, "GET / HTTP/1.1\r\nHost: camserver.local\r\nConnection: close\r\n\r\n").startsWith("200 "));
            assertTrue(rawStatus(live, "GET / HTTP/1.1\r\nHost: CAMSERVER.local:5000\r\nConnection: close\r\n\r\n").startsWith("200 "));
            assertEquals("200 ACK", rawStatus(live, "GET /register?ip=127.0.0.1:9&token=abcd1234 HTTP/1.1\r\n"
                    + "Host: microshift-cam-reg.local\r\nConnection: close\r\n\r\n"), "the cameras' host name");
            assertEquals("200 ok", rawStatus(live, "GET /healthz HTTP/1.1\r\nHost: 10.42.0.7:5000\r\nConnection: close\r\n\r\n"),
                    "probes come with the pod's address as Host");
        }
    }

    @Test
    void everyPageAndScriptForbidsFramingSniffingAndForeignContent(@TempDir Path tmp) throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            for (String path : new String[] {"/", "/ui/main.js", "/ui/live.js", "/ui/app.css", "/api/session"}) {
                var r = live.anonymous(path);
                assertEquals(200, r.statusCode(), path);
                String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
                assertEquals("same-origin", r.headers().firstValue("Referrer-Policy").orElse(""), path);
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            }
        }
    }
}
