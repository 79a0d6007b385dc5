package io.camserver.ingest.registration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP-literal parsing. {@link InetAddress#getByName} would resolve a host name through
 * DNS; a registration must never make the server look anything up, so only literals pass here.
 */
public final class IpLiteral {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiteral() {
    }

    public static Optional<InetAddress> parseAddress(String s) {
        String t = s.trim();
        try {
            if (V4.matcher(t).matches()) {
                return Optional.of(InetAddress.getByName(t));
            }
            if (t.indexOf(':') >= 0 && V6.matcher(t).matches()) {
                return Optional.of(InetAddress.getByName(t)); // a literal: no lookup happens
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A camera address: an IP literal and a TCP port. */
    public record HostPort(InetAddress address, int port) {
        /** Host part for a URL: IPv6 in brackets. */
        public String urlHost() {
            String h = address.getHostAddress();
            return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
        }

        public String authority() {
            return port == 80 ? urlHost() : urlHost() + ":" + port;
        }
    }

    /**
     * Parses {@code 192.168.66.61}, {@code 192.168.66.61:8080}, {@code fd00::5},
     * {@code [fd00::5]} or {@code [fd00::5]:8080}; port 80 when absent.
     */
    public static Optional<HostPort> parseHostPort(String s) {
        String t = s.trim();
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':')); // IPv4 with port; a bare IPv6 has several colons
            port = t.substring(t.indexOf(':') + 1);
        }
        int p = 80;
        if (port != null) {
            if (!port.matches("\\d{1,5}")) {
                return Optional.empty();
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return Optional.empty();
            }
        }
        int finalPort = p;
        return parseAddress(host).map(a -> new HostPort(a, finalPort));
    }
}
