package io.camserver.ingest.registration;

import java.net.InetAddress;
import java.util.Objects;

/** An IPv4 or IPv6 network, e.g. {@code 192.168.0.0/16} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefix, String text) {
    public Cidr {
        Objects.requireNonNull(network, "network");
        network = network.clone();
    }

    public static Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("network '" + s + "' needs a /prefix, e.g. 192.168.0.0/16");
        }
        InetAddress addr = IpLiteral.parseAddress(t.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("network '" + s + "' does not start with an IP address"));
        int prefix;
        try {
            prefix = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("network '" + s + "' has a bad prefix length");
        }
        byte[] bytes = addr.getAddress();
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("network '" + s + "' prefix must be 0.." + bytes.length * 8);
        }
        return new Cidr(bytes, prefix, t);
    }

    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && java.util.Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }
}
