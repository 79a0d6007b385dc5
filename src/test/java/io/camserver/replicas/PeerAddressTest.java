package io.camserver.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camserver.support.LiveFixture;
import io.camserver.support.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: a peer's token captured on the way (or made by a machine that learnt the secret)
 * and used from a machine that is no replica. Within its minute it opens the request it was made
 * for from a replica's address only.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class PeerAddressTest {
    private static final String SECRET = "peer-secret-0123456789";

    @Test
    void aValidPeerTokenFromAnAddressThatIsNoReplicaOpensNothing(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("peeraddr");
        try (LiveFixture replica = LiveFixture.start(tmp, Map.of("storage.url", url, "replicas.enabled", "true", "replicas.heartbeat", "1s",
                "replicas.secret", SECRET, "replicas.name", "replica-a"))) {
            String target = "/api/cameras?scope=local";
            LiveFixture.eventually(java.time.Duration.ofSeconds(10), "the replica's own address known from its heartbeat",
                    () -> get(replica.server.port(), InetAddress.getByName("127.0.0.1"), target) == 200);
            assertEquals(401, get(replica.server.port(), InetAddress.getByName("127.0.0.91"), target), "the same token from elsewhere");
            assertEquals(401, get(replica.server.port(), InetAddress.getByName("127.0.0.1"), target, "peer-secret-0123456789"),
                    "the bare secret is no token");
        }
    }

    /** A GET from {@code from} with a fresh peer token for it (or {@code header} as the token). */
    private static int get(int port, InetAddress from, String target, String... header) throws IOException {
        String token = header.length > 0 ? header[0]
                : PeerToken.sign(SECRET.getBytes(StandardCharsets.UTF_8), "GET", target, System.currentTimeMillis() / 1000);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + RemoteCameras.PEER_HEADER + ": " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(reply.substring(9, 12));
        }
    }
}
