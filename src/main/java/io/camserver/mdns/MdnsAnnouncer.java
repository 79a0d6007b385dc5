package io.camserver.mdns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the name the cameras look for ({@code microshift-cam-reg.local} by default) and an
 * {@code _http._tcp} service over mDNS, so cameras find camserver on a network without
 * MicroShift's router (which announces its Route hosts itself; the microshift overlay turns this
 * off). Announcing needs the LAN: on Kubernetes that means a host-network pod.
 */
public final class MdnsAnnouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MdnsAnnouncer.class);

    private final JmDNS jmdns;
    private final String hostname;
    private final InetAddress address;

    private MdnsAnnouncer(JmDNS jmdns, String hostname, InetAddress address) {
        this.jmdns = jmdns;
        this.hostname = hostname;
        this.address = address;
    }

    /**
     * @param hostname e.g. {@code microshift-cam-reg.local}
     * @param address  the address to announce (and to bind the responder to); empty picks the
     *                 first site-local IPv4 address of an interface that is up
     * @param httpPort the server's port, advertised in the service record
     */
    public static MdnsAnnouncer start(String hostname, Optional<InetAddress> address, int httpPort) throws IOException {
        Objects.requireNonNull(hostname, "hostname");
        if (!hostname.endsWith(".local") || hostname.length() < 7) {
            throw new IllegalArgumentException("mdns.hostname must end in .local (was '" + hostname + "')");
        }
        InetAddress addr = address.isPresent() ? address.get() : pickAddress()
                .orElseThrow(() -> new IOException("mdns: no up, non-loopback IPv4 interface to announce on; set mdns.address"));
        String label = hostname.substring(0, hostname.length() - ".local".length());
        JmDNS j = JmDNS.create(addr, label);
        j.registerService(ServiceInfo.create("_http._tcp.local.", "camserver", httpPort, "path=/"));
        log.info("mdns: announcing {} -> {} and camserver._http._tcp port {}", hostname, addr.getHostAddress(), httpPort);
        return new MdnsAnnouncer(j, hostname, addr);
    }

    static Optional<InetAddress> pickAddress() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    public String hostname() {
        return hostname;
    }

    public InetAddress address() {
        return address;
    }

    @Override
    public void close() {
        try {
            jmdns.unregisterAllServices();
            jmdns.close();
        } catch (IOException e) {
            log.warn("mdns: closing: {}", e.getMessage());
        }
    }
}
