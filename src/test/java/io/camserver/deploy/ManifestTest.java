package io.camserver.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.Route;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object each overlay renders parses into fabric8's typed model, with no unknown field
 * anywhere (Jackson's fail-on-unknown does not fire on these models: misspelt fields land in
 * each object's additional properties, so those are walked), and follows the deployment rules.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Map<String, Class<? extends KubernetesResource>> KINDS = Map.of(
            "Namespace", Namespace.class, "ConfigMap", ConfigMap.class, "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "Service", Service.class, "Deployment", Deployment.class, "StatefulSet", StatefulSet.class, "Ingress", Ingress.class,
            "Route", Route.class, "Secret", Secret.class, "NetworkPolicy", NetworkPolicy.class);

    static String kustomize(String dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + err);
        return out;
    }

    static List<KubernetesResource> parse(String yaml) throws Exception {
        List<KubernetesResource> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("kind").asText();
                Class<? extends KubernetesResource> type = KINDS.get(kind);
                if (type == null) {
                    throw new AssertionError("no typed model mapped for kind " + kind);
                }
                KubernetesResource r = YAML.treeToValue(doc, type);
                List<String> unknown = new ArrayList<>();
                unknownFields(r, kind + "/" + doc.path("metadata").path("name").asText(), unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) {
                    throw new AssertionError("unknown or misspelt fields: " + unknown);
                }
                out.add(r);
            }
        }
        return out;
    }

    /** Collects every non-empty additionalProperties map below {@code o}. */
    static void unknownFields(Object o, String path, List<String> found, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                unknownFields(x, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), found, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getName().equals("getClass")) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(v, path + "." + g.getName().substring(3), found, seen);
        }
    }

    /** The namespaces of the ingress controllers the overlays are written for. */
    private static final List<String> INGRESS_NAMESPACES = List.of("openshift-ingress", "ingress-nginx");

    /**
     * The attack: a pod elsewhere in the cluster sends X-Forwarded-For with a camera's (or another
     * client's) address. An overlay that trusts the pod network as proxies (server.trustedProxies)
     * must let nothing in that network reach port 5000 but the ingress controllers (and, in
     * scale-out, the replicas themselves): then only the ingress is trusted in practice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"microshift", "kubernetes", "jetson", "scale-out"})
    void trustedProxiesAreTheIngressOnly(String overlay) throws Exception {
        List<KubernetesResource> objects = parse(kustomize("deploy/overlays/" + overlay));
        List<String> trusted = new ArrayList<>();
        for (KubernetesResource r : objects) {
            PodSpec pod = r instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : r instanceof StatefulSet st ? st.getSpec().getTemplate().getSpec() : null;
            if (pod != null) {
                pod.getContainers().stream().filter(c -> c.getName().equals("camserver")).flatMap(c -> c.getEnv().stream())
                        .filter(e -> e.getName().equals("CAMSERVER_SERVER_TRUSTED_PROXIES") && e.getValue() != null)
                        .forEach(e -> trusted.addAll(List.of(e.getValue().split(","))));
            }
        }
        if (trusted.isEmpty()) {
            return; // nothing believed from X-Forwarded-For
        }
        List<NetworkPolicy> policies = objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast).toList();
        assertFalse(policies.isEmpty(), overlay + ": trusts " + trusted + " as proxies, so a NetworkPolicy must say who may connect");
        for (NetworkPolicy np : policies) {
            for (var rule : np.getSpec().getIngress()) {
                for (var peer : rule.getFrom()) {
                    if (peer.getIpBlock() != null) {
                        String cidr = peer.getIpBlock().getCidr();
                        assertTrue(trusted.stream().noneMatch(t -> overlaps(t.trim(), cidr)),
                                overlay + ": " + cidr + " may connect and overlaps the trusted proxies " + trusted);
                    } else if (peer.getNamespaceSelector() != null) {
                        String ns = peer.getNamespaceSelector().getMatchLabels() == null ? null
                                : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                        assertTrue(INGRESS_NAMESPACES.contains(ns), overlay + ": namespaces other than the ingress controllers' may connect: "
                                + peer.getNamespaceSelector());
                    } else {
                        assertEquals(Map.of("app.kubernetes.io/component", "server"), peer.getPodSelector().getMatchLabels(),
                                overlay + ": only the replicas themselves, besides the ingress");
                    }
                }
            }
        }
    }

    /** Whether two IPv4 CIDRs share an address. */
    private static boolean overlaps(String a, String b) {
        long[] x = range(a);
        long[] y = range(b);
        return x[0] <= y[1] && y[0] <= x[1];
    }

    private static long[] range(String cidr) {
        String[] p = cidr.split("/");
        long ip = 0;
        for (String o : p[0].split("\\.")) {
            ip = ip << 8 | Long.parseLong(o);
        }
        int bits = p.length > 1 ? Integer.parseInt(p[1]) : 32;
        long size = 1L << (32 - bits);
        long start = ip & ~(size - 1) & 0xFFFFFFFFL;
        return new long[] {start, start + size - 1};
    }

    @ParameterizedTest
    @ValueSource(strings = {"microshift", "kubernetes", "jetson", "scale-out"})
    void everyOverlayRendersIntoTypedObjectsThatFollowTheRules(String overlay) throws Exception {
        List<KubernetesResource> objects = parse(kustomize("deploy/overlays/" + overlay));
        assertFalse(objects.isEmpty());
        List<PodSpec> pods = new ArrayList<>();
        for (KubernetesResource r : objects) {
            if (r instanceof Deployment d) {
                pods.add(d.getSpec().getTemplate().getSpec());
            } else if (r instanceof StatefulSet s) {
                pods.add(s.getSpec().getTemplate().getSpec());
            }
        }
        assertFalse(pods.isEmpty(), "a workload");
        for (PodSpec pod : pods) {
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no service-account token in any pod");
            if (pod.getContainers().stream().anyMatch(c -> c.getName().equals("camserver"))) {
                // FFmpeg's command line carries RTSP credentials: a PID namespace of the pod's own.
                assertEquals(Boolean.FALSE, pod.getHostPID(), "camserver: not in the node's PID namespace");
                assertEquals(Boolean.FALSE, pod.getShareProcessNamespace(), "camserver: processes not shared between containers");
            }
            for (Container c : pod.getContainers()) {
                if (c.getName().equals("wifi-ap")) {
                    assertTrue(Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem()), "wifi-ap: read-only root");
                }
                String image = c.getImage();
                assertEquals("IfNotPresent", c.getImagePullPolicy(), c.getName());
                assertTrue(image.contains(":") && !image.endsWith(":latest"), "pinned tag: " + image);
                assertTrue(c.getResources() != null && c.getResources().getLimits() != null && c.getResources().getLimits().containsKey("memory"),
                        c.getName() + " has a memory limit");
                assertTrue(c.getSecurityContext() != null && Boolean.FALSE.equals(c.getSecurityContext().getAllowPrivilegeEscalation()),
                        c.getName() + " cannot escalate");
                assertTrue(!Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()), c.getName() + " is not privileged");
                if (c.getName().equals("camserver")) {
                    assertTrue(c.getStartupProbe() != null && c.getReadinessProbe() != null && c.getLivenessProbe() != null, "probes");
                    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
                    assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
                    assertTrue(Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem()));
                    assertTrue(Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot()));
                }
            }
        }
        Service svc = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals("camserver")).findFirst().orElseThrow();
        assertEquals(5000, svc.getSpec().getPorts().get(0).getPort());
        NetworkPolicy policy = objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no NetworkPolicy"));
        assertEquals("server", policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertEquals(overlay.equals("scale-out") ? 2 : 1, policy.getSpec().getIngress().size(), "router/cameras (and, scaled out, peers)");
        for (var rule : policy.getSpec().getIngress()) {
            assertEquals(List.of(5000), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList(), "ingress to port 5000 only");
        }
        List<Integer> egressPorts = policy.getSpec().getEgress().stream().flatMap(e -> e.getPorts().stream())
                .map(p -> p.getPort().getIntVal()).distinct().sorted().toList();
        assertEquals(overlay.equals("scale-out") ? List.of(53, 5000, 5353, 5432) : List.of(53, 5353), egressPorts,
                "egress: the cameras (any port), DNS and, in scale-out, PostgreSQL and the peers");
        if (overlay.equals("microshift") || overlay.equals("jetson")) {
            Map<String, Route> routes = new java.util.HashMap<>();
            objects.stream().filter(Route.class::isInstance).map(Route.class::cast).forEach(r -> routes.put(r.getMetadata().getName(), r));
            Route register = routes.get("camserver-register");
            assertEquals("microshift-cam-reg.local", register.getSpec().getHost());
            assertEquals("/register", register.getSpec().getPath(), "the cameras' host routes /register only");
            assertEquals(null, register.getSpec().getTls(), "plain HTTP on port 80 for the firmware");
            Route ui = routes.get("camserver");
            assertEquals("edge", ui.getSpec().getTls().getTermination());
            assertEquals("Redirect", ui.getSpec().getTls().getInsecureEdgeTerminationPolicy());
            assertTrue(objects.stream().anyMatch(o -> o instanceof Deployment d && d.getMetadata().getName().equals("wifi-ap")));
        }
        if (overlay.equals("kubernetes")) {
            Map<String, Ingress> ingresses = new java.util.HashMap<>();
            objects.stream().filter(Ingress.class::isInstance).map(Ingress.class::cast).forEach(i -> ingresses.put(i.getMetadata().getName(), i));
            Ingress register = ingresses.get("camserver-register");
            var paths = register.getSpec().getRules().get(0).getHttp().getPaths();
            assertEquals(1, paths.size());
            assertEquals("/register", paths.get(0).getPath());
            assertEquals("Exact", paths.get(0).getPathType());
            assertTrue(register.getSpec().getTls() == null || register.getSpec().getTls().isEmpty());
            assertFalse(ingresses.get("camserver").getSpec().getTls().isEmpty(), "the UI host is served over TLS");
        }
        if (!overlay.equals("scale-out")) {
            Container server = pods.stream().flatMap(p -> p.getContainers().stream()).filter(c -> c.getName().equals("camserver"))
                    .findFirst().orElseThrow();
            assertTrue(server.getEnv().stream().anyMatch(e -> e.getName().equals("CAMSERVER_SERVER_TRUSTED_PROXIES")
                    && !e.getValue().isBlank()), "the router or ingress is a trusted proxy");
        }
        for (KubernetesResource r : objects) {
            if (r instanceof ConfigMap cm && cm.getData() != null && cm.getData().containsKey("camserver.yaml")) {
                Path f = Files.createTempFile("camserver", ".yaml");
                Files.writeString(f, cm.getData().get("camserver.yaml"));
                // The server accepts the shipped config with the environment its pod gives it
                // (secrets' files stood in for by test files).
                Map<String, String> env = new java.util.HashMap<>();
                for (PodSpec pod : pods) {
                    for (Container c : pod.getContainers()) {
                        if (c.getName().equals("camserver") && c.getEnv() != null) {
                            for (var e : c.getEnv()) {
                                if (e.getName().startsWith("CAMSERVER_") && e.getValue() != null) {
                                    env.put(e.getName(), e.getValue());
                                }
                            }
                        }
                    }
                }
                env.replaceAll((k, v) -> k.endsWith("_FILE") && !k.startsWith("CAMSERVER_ADMIN") ? secretStandIn(k) : v);
                env.remove("CAMSERVER_CONFIG");
                io.camserver.app.ConfigCheck.load(f, env);
            }
        }
    }

    private static String secretStandIn(String variable) {
        try {
            Path f = Files.createTempFile("secret", ".txt");
            Files.writeString(f, "a-stand-in-secret-for-" + variable + "\n");
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void yamllintPassesOnEveryManifest() throws Exception {
        Process p = new ProcessBuilder("yamllint", "-s", "-c", ".yamllint.yaml", "deploy", ".yamllint.yaml").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "yamllint:\n" + out);
    }

    @Test
    void aMisspeltFieldIsCaught() {
        String bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x:1
                          imagePullPolicy: IfNotPresent
                          readinesProbe: {httpGet: {path: /readyz, port: 5000}}
                """;
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> parse(bad));
        assertTrue(e.getMessage().contains("readinesProbe"), e.getMessage());
    }

    @Test
    void aWrongTypeIsCaught() {
        String bad = "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n    - port: five-thousand\n";
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> parse(bad));
    }
}
