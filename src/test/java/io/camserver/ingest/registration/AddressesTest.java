package io.camserver.ingest.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Address literals (never a DNS lookup), networks, and where a registration really comes from. */
class AddressesTest {
    @Test
    void onlyLiteralsParseAndPortsAreChecked() {
        assertEquals(8080, IpLiteral.parseHostPort("192.168.66.61:8080").orElseThrow().port());
        assertEquals(80, IpLiteral.parseHostPort("fd00::5").orElseThrow().port());
        assertEquals(81, IpLiteral.parseHostPort("[fd00::5]:81").orElseThrow().port());
        for (String bad : List.of("localhost", "example.com", "192.168.66.256", "1.2.3.4:0", "1.2.3.4:65536", "[fd00::5", "1.2.3.4:x", "")) {
            assertTrue(IpLiteral.parseHostPort(bad).isEmpty(), bad);
        }
    }

    @Test
    void networksContainTheirAddressesOnly() throws Exception {
        Cidr lan = Cidr.parse("192.168.66.0/24");
        assertTrue(lan.contains(InetAddress.getByName("192.168.66.200")));
        assertFalse(lan.contains(InetAddress.getByName("192.168.67.1")));
        assertFalse(lan.contains(InetAddress.getByName("fd00::1")), "another family never matches");
        assertTrue(Cidr.parse("fc00::/7").contains(InetAddress.getByName("fd12::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.168.66.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("router/24"));
    }

    @Test
    void theSourceIsThePeerUnlessATrustedProxyForwardsIt() throws Exception {
        RegistrationPolicy d = RegistrationPolicy.defaults();
        RegistrationPolicy p = new RegistrationPolicy(d.networks(), d.maxCameras(), d.key(), List.of(Cidr.parse("10.42.0.0/16")),
                d.maxPerAddress(), d.expireAfter());
        InetAddress router = InetAddress.getByName("10.42.0.7");
        InetAddress camera = InetAddress.getByName("192.168.66.61");
        InetAddress guest = InetAddress.getByName("192.168.66.99");
        assertEquals(Optional.of(guest), p.sourceOf(guest, List.of("192.168.66.61")), "not a proxy: its header is ignored");
        assertEquals(Optional.of(camera), p.sourceOf(router, List.of("192.168.66.61")));
        assertEquals(Optional.of(guest), p.sourceOf(router, List.of("192.168.66.61, 192.168.66.99")), "the right-most untrusted hop");
        assertEquals(Optional.of(camera), p.sourceOf(router, List.of("192.168.66.61", "10.42.0.8")), "proxies in the chain are skipped");
        assertEquals(Optional.empty(), p.sourceOf(router, List.of("unknown")));
        assertTrue(p.check("192.168.66.61:80", "abc", null, camera).ok());
        assertEquals(403, p.check("192.168.66.61", "abc", null, guest).refusal().status());
    }
}
