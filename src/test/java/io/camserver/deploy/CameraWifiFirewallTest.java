package io.camserver.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Netns;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: a guest who knows the camera Wi-Fi's passphrase. From the camera side of a real
 * access point (the entrypoint, its nftables table and dnsmasq, in namespaces playing the node, a
 * pod and two cameras), a client reaches exactly DHCP, DNS for the server's name, and the
 * server's ports, and nothing else: not the node's ssh, API server or kubelet, not a pod's
 * address, not another camera through the node, not any other name by DNS. The server still
 * reaches the cameras' stream ports. The same probes before the firewall is loaded show what it
 * stops (so the test can fail).
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class CameraWifiFirewallTest {
    private static final Path ENTRYPOINT = Path.of("wifi-ap/entrypoint.sh").toAbsolutePath();

    @Test
    void aClientOnTheCameraWifiReachesExactlyWhatIsListed(@TempDir Path tmp) throws Exception {
        Path probe = tmp.resolve("netprobe.py");
        try (InputStream in = CameraWifiFirewallTest.class.getResourceAsStream("netprobe.py")) {
            Files.copy(in, probe);
        }
        try (Netns node = Netns.create("camsrv-fw"); Netns cam = Netns.create("camsrv-fwcam"); Netns cam2 = Netns.create("camsrv-fwcam2");
                Netns pod = Netns.create("camsrv-fwpod")) {
            // The node: a bridge plays the radio (wapf0), a veth leads to the pod network.
            node.exec("ip", "link", "add", "wapf0", "type", "bridge");
            node.exec("ip", "addr", "add", "192.168.66.1/24", "dev", "wapf0");
            node.exec("ip", "link", "set", "wapf0", "up");
            node.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            cam.link("wapf0a", node.name(), null, "wcamf0", "192.168.66.60/24");
            cam2.link("wapf0b", node.name(), null, "wcamf1", "192.168.66.61/24");
            node.exec("ip", "link", "set", "wapf0a", "master", "wapf0");
            node.exec("ip", "link", "set", "wapf0b", "master", "wapf0");
            pod.link("podf0", node.name(), "10.42.0.1/24", "podf1", "10.42.0.5/24");
            pod.exec("ip", "route", "add", "default", "via", "10.42.0.1");
            cam.exec("ip", "route", "add", "default", "via", "192.168.66.1");
            // The other camera by way of the node, as a guest would send it past the radio's isolation.
            cam.exec("ip", "route", "add", "192.168.66.61/32", "via", "192.168.66.1");
            // The server on the node's port 80 (the router), a pod behind the node's port 5000
            // (a hostPort), the node's own services, a pod's other port, the cameras' ports.
            node.exec("nft", "add table ip hostport; add chain ip hostport pre { type nat hook prerouting priority dstnat; };"
                    + " add rule ip hostport pre ip daddr 192.168.66.1 tcp dport 5000 dnat to 10.42.0.5:5000");
            listen(node, probe, "80", "22", "6443", "10250");
            listen(pod, probe, "5000", "10250");
            listen(cam, probe, "81", "22");
            listen(cam2, probe, "80");

            String[] toNode = {"192.168.66.1", "80", "5000", "22", "6443", "10250"};
            assertEquals("open open open open open", tcp(cam, probe, toNode), "before the firewall: everything on the node is reachable");
            assertEquals("open", tcp(cam, probe, "10.42.0.5", "10250"), "before the firewall: a pod is reachable");
            assertEquals("open", tcp(cam, probe, "192.168.66.61", "80"), "before the firewall: the other camera, through the node");

            Process ap = node.start(List.of("env", "WIFI_AP_DRIVER=none", "WIFI_AP_INTERFACE=wapf0", "WIFI_AP_RUN_DIR=" + tmp.resolve("run"),
                    "WIFI_AP_PASSPHRASE=a-long-camera-wifi-passphrase", "WIFI_AP_EXTRA_HOSTS=microshift-cam-reg.local=192.168.66.1",
                    "sh", ENTRYPOINT.toString()));
            Awaitility.await("the firewall and dnsmasq up").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ap.isAlive() && node.exec("nft", "list", "tables").contains("camwifi")
                            && !dns(cam, probe, "microshift-cam-reg.local").equals("timeout"));

            String lease = cam.exec("udhcpc", "-i", "wcamf0", "-n", "-q", "-f", "-s", "/bin/true", "-t", "10", "-T", "1");
            assertTrue(lease.contains("obtained from 192.168.66.1"), "DHCP passes: " + lease);
            assertEquals("192.168.66.1", dns(cam, probe, "microshift-cam-reg.local"), "DNS answers the server's name");
            assertEquals("rcode5", dns(cam, probe, "kubernetes.default.svc.cluster.local"), "DNS forwards nothing (REFUSED)");
            assertEquals("rcode5", dns(cam, probe, "example.org"), "DNS forwards nothing (REFUSED)");
            assertEquals("open open filtered filtered filtered", tcp(cam, probe, toNode),
                    "the server's ports 80 and 5000 (forwarded to a pod) only; not ssh, the API server or the kubelet");
            assertEquals("filtered filtered", tcp(cam, probe, "10.42.0.5", "5000", "10250"), "no route into the pod network");
            assertEquals("filtered", tcp(cam, probe, "192.168.66.61", "80"), "no camera to camera through the node");
            assertEquals("open filtered", tcp(pod, probe, "192.168.66.60", "81", "22"), "the server reaches a camera's stream, nothing else");
            String counters = node.exec("nft", "list", "table", "inet", "camwifi");
            assertTrue(counters.matches("(?s).*counter packets [1-9].*"), "the drops are counted:\n" + counters);
        }
    }

    private static void listen(Netns ns, Path probe, String... ports) throws Exception {
        ns.start(concat(List.of("/usr/bin/python3", probe.toString(), "listen"), ports));
        Awaitility.await("listening in " + ns.name()).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !tcp(ns, probe, "127.0.0.1", ports[0]).equals("refused"));
    }

    private static String tcp(Netns ns, Path probe, String host, String... ports) throws Exception {
        return ns.exec(concat(List.of("/usr/bin/python3", probe.toString(), "tcp", host), ports).toArray(String[]::new)).strip();
    }

    private static String tcp(Netns ns, Path probe, String[] hostAndPorts) throws Exception {
        return tcp(ns, probe, hostAndPorts[0], java.util.Arrays.copyOfRange(hostAndPorts, 1, hostAndPorts.length));
    }

    private static String dns(Netns ns, Path probe, String name) throws Exception {
        return ns.exec("/usr/bin/python3", probe.toString(), "dns", "192.168.66.1", name).strip();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> out = new java.util.ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }
}
