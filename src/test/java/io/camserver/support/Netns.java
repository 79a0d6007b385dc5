package io.camserver.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of this test run's own, joined to the root namespace (or another
 * namespace) by a veth pair: a "host" with its own address for tests of what crosses a network.
 * Everything is torn down on close. Needs root and iproute2 (CI runs as root).
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private final List<Process> started = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    public static Netns create(String name) throws Exception {
        run(List.of("ip", "netns", "del", name), true);
        run(List.of("ip", "netns", "add", name));
        Netns n = new Netns(name);
        n.exec("ip", "link", "set", "lo", "up");
        return n;
    }

    /**
     * A veth pair: {@code outside} stays in {@code outsideNs} (null = root namespace) with
     * {@code outsideCidr}, {@code inside} moves into this namespace with {@code insideCidr}
     * (either address may be null to leave the end unconfigured).
     */
    public void link(String outside, String outsideNs, String outsideCidr, String inside, String insideCidr) throws Exception {
        run(List.of("ip", "link", "del", outside), true);
        run(List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", inside));
        run(List.of("ip", "link", "set", inside, "netns", name));
        if (outsideNs != null) {
            run(List.of("ip", "link", "set", outside, "netns", outsideNs));
        }
        List<String> pre = outsideNs == null ? List.of() : List.of("ip", "netns", "exec", outsideNs);
        if (outsideCidr != null) {
            run(concat(pre, List.of("ip", "addr", "add", outsideCidr, "dev", outside)));
        }
        run(concat(pre, List.of("ip", "link", "set", outside, "up", "multicast", "on")));
        if (insideCidr != null) {
            exec("ip", "addr", "add", insideCidr, "dev", inside);
        }
        exec("ip", "link", "set", inside, "up", "multicast", "on");
        // mDNS inside the namespace: multicast leaves by the veth (the only way out)
        exec("ip", "route", "add", "224.0.0.0/4", "dev", inside);
    }

    public String name() {
        return name;
    }

    /** Runs a command in the namespace and returns its output; fails on a non-zero exit. */
    public String exec(String... cmd) throws Exception {
        return run(concat(List.of("ip", "netns", "exec", name), List.of(cmd)));
    }

    /** Starts a long-running command in the namespace; stopped at close. */
    public Process start(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(concat(List.of("ip", "netns", "exec", name), cmd)).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    public static String run(List<String> cmd) throws Exception {
        return run(cmd, false);
    }

    static String run(List<String> cmd, boolean ignoreFailure) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out");
        }
        if (p.exitValue() != 0 && !ignoreFailure) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroy();
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run(List.of("ip", "netns", "del", name), true);
        } catch (Exception ignored) {
            // best effort
        }
    }
}
