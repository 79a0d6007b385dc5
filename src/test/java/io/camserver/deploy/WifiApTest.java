package io.camserver.deploy;

import java.time.Duration;
import org.awaitility.Awaitility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Netns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access point's entrypoint, hostapd and dnsmasq, for real, without a radio. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class WifiApTest {
    private static final Path ENTRYPOINT = Path.of("wifi-ap/entrypoint.sh").toAbsolutePath();

    record Run(int status, String output) {
    }

    private static Run run(Map<String, String> env, List<String> cmd, int seconds) throws Exception {
        // Output goes to a file: a daemon stopped at the deadline must not lose what it printed.
        Path log = Files.createTempFile("wifi-ap", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WIFI_AP_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(done ? p.exitValue() : -1, out);
    }

    private static final String PASSPHRASE = "a-long-camera-wifi-passphrase";

    /** Renders with {@code env} over a valid passphrase (the one setting without a default). */
    private static Run render(Map<String, String> env, Path dir) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("WIFI_AP_PASSPHRASE", PASSPHRASE));
        all.putAll(env);
        return run(all, List.of("sh", ENTRYPOINT.toString(), "render", dir.toString()), 30);
    }

    @Test
    void rendersTheDemosNetworkFromDefaults(@TempDir Path tmp) throws Exception {
        Run r = render(Map.of(), tmp);
        assertEquals(0, r.status(), r.output());
        String hostapd = Files.readString(tmp.resolve("hostapd.conf"));
        String dnsmasq = Files.readString(tmp.resolve("dnsmasq.conf"));
        for (String line : List.of("interface=wlan0", "driver=nl80211", "ssid=camwifi", "channel=6", "hw_mode=g", "wpa=2",
                "wpa_passphrase=" + PASSPHRASE, "ap_isolate=1", "country_code=US",
                // WPA2 and WPA3 side by side, management frames protected where the client can
                "wpa_key_mgmt=WPA-PSK SAE", "ieee80211w=1", "sae_require_mfp=1")) {
            assertTrue(hostapd.lines().anyMatch(line::equals), line + " in\n" + hostapd);
        }
        for (String line : List.of("dhcp-range=192.168.66.50,192.168.66.150,255.255.255.0,12h", "dhcp-option=option:router,192.168.66.1",
                "dhcp-option=option:dns-server,192.168.66.1", "domain=cams", "no-resolv", "no-hosts")) {
            assertTrue(dnsmasq.lines().anyMatch(line::equals), line + " in\n" + dnsmasq);
        }
        Run custom = render(Map.of("WIFI_AP_SSID", "shop cams", "WIFI_AP_CHANNEL", "36", "WIFI_AP_SUBNET", "10.20.30.0/24",
                "WIFI_AP_EXTRA_HOSTS", "microshift-cam-reg.local=10.20.30.1"), tmp.resolve("custom"));
        assertEquals(0, custom.status(), custom.output());
        assertTrue(Files.readString(tmp.resolve("custom/hostapd.conf")).contains("hw_mode=a"));
        String d2 = Files.readString(tmp.resolve("custom/dnsmasq.conf"));
        assertTrue(d2.contains("dhcp-range=10.20.30.50,10.20.30.150") && d2.contains("address=/microshift-cam-reg.local/10.20.30.1"), d2);
    }

    @Test
    void badSettingsStopWithTheReasonAndNeverEchoThePassphrase(@TempDir Path tmp) throws Exception {
        Map<Map<String, String>, String> cases = Map.ofEntries(
                Map.entry(Map.of("WIFI_AP_PASSPHRASE", "secret7"), "WIFI_AP_PASSPHRASE must be 12-63 characters (was 7)"),
                Map.entry(Map.of("WIFI_AP_PASSPHRASE", "secret7-abc"), "WIFI_AP_PASSPHRASE must be 12-63 characters (was 11)"),
                Map.entry(Map.of("WIFI_AP_PASSPHRASE", ""), "WIFI_AP_PASSPHRASE is required (the camserver-wifi Secret): there is no built-in passphrase"),
                Map.entry(Map.of("WIFI_AP_CHANNEL", "14"), "WIFI_AP_CHANNEL must be 1-13 (2.4 GHz) or 36, 40, 44, 48"),
                Map.entry(Map.of("WIFI_AP_COUNTRY", "usa"), "WIFI_AP_COUNTRY must be a two-letter country code like US or DE (was 'usa')"),
                Map.entry(Map.of("WIFI_AP_SUBNET", "192.168.66.0/16"), "WIFI_AP_SUBNET must be an IPv4 /24 network"),
                Map.entry(Map.of("WIFI_AP_SSID", "x".repeat(33)), "WIFI_AP_SSID must be 1-32 bytes (was 33)"),
                Map.entry(Map.of("WIFI_AP_INTERFACE", "wlan0; rm -rf /"), "WIFI_AP_INTERFACE must be an interface name"),
                Map.entry(Map.of("WIFI_AP_SERVER_PORTS", "80;22"), "WIFI_AP_SERVER_PORTS must be a comma-separated list of ports like 80,5000 (was '80;22')"),
                Map.entry(Map.of("WIFI_AP_CAMERA_PORTS", "80,70000"), "WIFI_AP_CAMERA_PORTS has a port out of 1-65535 (was '80,70000')"),
                Map.entry(Map.of("WIFI_AP_SERVER_ADDRS", "10.0.0.1,node"), "WIFI_AP_SERVER_ADDRS must be IPv4 addresses separated by commas"),
                Map.entry(Map.of("WIFI_AP_FIREWALL", "no"), "WIFI_AP_FIREWALL must be on or off (was 'no')"));
        for (var c : cases.entrySet()) {
            Run r = render(c.getKey(), tmp.resolve("x"));
            assertEquals(64, r.status(), c.getKey() + ": " + r.output());
            assertTrue(r.output().contains(c.getValue()), c.getKey() + ": " + r.output());
            assertFalse(r.output().contains("secret7"), "the passphrase is never printed");
        }
    }

    @Test
    void hostapdAcceptsTheRenderedConfigAndNamesTheBadLineOfABrokenOne(@TempDir Path tmp) throws Exception {
        assertEquals(0, render(Map.of("WIFI_AP_DRIVER", "none", "WIFI_AP_INTERFACE", "wapcheck0"), tmp).status());
        Run good = run(Map.of(), List.of("hostapd", tmp.resolve("hostapd.conf").toString()), 3);
        assertTrue(good.output().contains("AP-ENABLED"), good.output());
        Path broken = tmp.resolve("broken.conf");
        Files.writeString(broken, Files.readString(tmp.resolve("hostapd.conf")).replace("wpa_passphrase=" + PASSPHRASE, "wpa_passphrase=short"));
        Run bad = run(Map.of(), List.of("hostapd", broken.toString()), 10);
        assertTrue(bad.status() > 0, bad.output());
        assertTrue(bad.output().matches("(?s).*Line \\d+: invalid WPA passphrase length 5.*"), bad.output());
    }

    @Test
    void dnsmasqLeasesACameraNamespaceAnAddressInTheRange(@TempDir Path tmp) throws Exception {
        try (Netns ap = Netns.create("camsrv-ap"); Netns cam = Netns.create("camsrv-apcam")) {
            cam.link("wapt0", ap.name(), "192.168.66.1/24", "wcamt0", null);
            assertEquals(0, render(Map.of("WIFI_AP_INTERFACE", "wapt0", "WIFI_AP_DRIVER", "none"), tmp).status());
            ap.start(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=" + tmp.resolve("dnsmasq.conf"), "--pid-file=" + tmp.resolve("pid"),
                    "--user=root"));
            String out = cam.exec("udhcpc", "-i", "wcamt0", "-n", "-q", "-f", "-s", "/bin/true", "-t", "10", "-T", "1");
            Matcher m = Pattern.compile("lease of 192\\.168\\.66\\.(\\d+) obtained from 192\\.168\\.66\\.1").matcher(out);
            assertTrue(m.find(), out);
            int host = Integer.parseInt(m.group(1));
            assertTrue(host >= 50 && host <= 150, "lease .%d in the range .50-.150".formatted(host));
        }
    }

    @Test
    void theEntrypointExitsWhenADaemonDiesSoKubernetesRestartsIt(@TempDir Path tmp) throws Exception {
        try (Netns ap = Netns.create("camsrv-ap2"); Netns cam = Netns.create("camsrv-ap2cam")) {
            cam.link("wapr0", ap.name(), null, "wcamr0", null);
            List<String> cmd = new ArrayList<>(List.of("env", "WIFI_AP_DRIVER=none", "WIFI_AP_INTERFACE=wapr0", "WIFI_AP_RUN_DIR=" + tmp,
                    "WIFI_AP_PASSPHRASE=" + PASSPHRASE,
                    "sh", ENTRYPOINT.toString()));
            Process entry = ap.start(cmd);
            String pid = Awaitility.await("dnsmasq started").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> Netns.run(List.of("pgrep", "-f", "conf-file=" + tmp.resolve("dnsmasq.conf"))), ps -> !ps.isBlank())
                    .lines().findFirst().orElseThrow();
            assertTrue(entry.isAlive(), "running while both daemons run");
            Netns.run(List.of("kill", pid.trim()));
            assertTrue(entry.waitFor(15, TimeUnit.SECONDS), "entrypoint exits after dnsmasq died");
            String out = new String(entry.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, entry.exitValue(), out);
            assertTrue(out.contains("a daemon exited; stopping so Kubernetes restarts the access point"), out);
        }
    }
}
