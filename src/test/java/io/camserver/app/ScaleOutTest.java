package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.cluster.Rendezvous;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas sharing one PostgreSQL database split the cameras between them, whichever replica
 * a registration reaches, and one takes over the other's cameras when it stops.
 */
class ScaleOutTest {
    @Test
    void camerasAreSplitByRendezvousHashingAndMoveWhenAReplicaStops(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleout");
        Map<String, String> common = Map.of("storage.url", url, "cluster.enabled", "true", "cluster.heartbeat", "1s",
                "cluster.deadAfter", "3s", "cluster.secret", "peer-secret-0123456789");
        Map<String, String> a = new HashMap<>(common);
        a.put("cluster.name", "replica-a");
        Map<String, String> b = new HashMap<>(common);
        b.put("cluster.name", "replica-b");
        List<String> members = List.of("replica-a", "replica-b");
        try (LiveFixture ra = LiveFixture.start(tmp.resolve("a"), a)) {
            LiveFixture rb = LiveFixture.start(tmp.resolve("b"), b);
            boolean bStopped = false;
            try {
                LiveFixture.waitUntil(Duration.ofSeconds(10), "both replicas see each other",
                        () -> ra.server.cluster().orElseThrow().members().equals(members) && rb.server.cluster().orElseThrow().members().equals(members));
                // Every camera registers with replica a only, as through a Service that picked it.
                List<SimulatedCamera> cams = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    cams.add(ra.camera(LiveFixture.frames("amy", 1), 4, Duration.ofSeconds(15)));
                }
                Map<String, Integer> perReplica = new HashMap<>();
                for (SimulatedCamera cam : cams) {
                    String id = LiveFixture.idOf(cam);
                    String owner = Rendezvous.owner(id, members).orElseThrow();
                    LiveFixture own = owner.equals("replica-a") ? ra : rb;
                    LiveFixture other = owner.equals("replica-a") ? rb : ra;
                    LiveFixture.eventually(Duration.ofSeconds(15), id + " streaming on " + owner,
                            () -> own.camera(id) != null && "streaming".equals(own.camera(id).get("state").asText()));
                    assertTrue(other.camera(id) == null, id + " is pulled by " + owner + " only");
                    perReplica.merge(owner, 1, Integer::sum);
                }
                for (SimulatedCamera cam : cams) {
                    assertTrue(cam.streamRequests() <= 2, "no duplicate pullers fighting over " + LiveFixture.idOf(cam));
                }
                System.out.println("scale-out test: cameras per replica " + perReplica);
                rb.close();
                bStopped = true;
                for (SimulatedCamera cam : cams) {
                    String id = LiveFixture.idOf(cam);
                    LiveFixture.eventually(Duration.ofSeconds(20), id + " taken over by replica-a",
                            () -> ra.camera(id) != null && "streaming".equals(ra.camera(id).get("state").asText()));
                }
            } finally {
                if (!bStopped) {
                    rb.close();
                }
            }
        }
    }

    /**
     * A guest spreading fake registrations over the replicas meets the same caps as on one server,
     * counted in the shared table; the fakes expire there, while a streaming camera, which does not
     * re-register, keeps its entry because its owner renews it.
     */
    @Test
    void theSharedRegistrationsObeyThePerAddressCapAndExpiry(@TempDir Path tmp) throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleoutcaps");
        Map<String, String> common = Map.of("storage.url", url, "cluster.enabled", "true", "cluster.heartbeat", "1s",
                "cluster.deadAfter", "3s", "registration.expireAfter", "3s", "cluster.secret", "peer-secret-0123456789");
        Map<String, String> a = new HashMap<>(common);
        a.put("cluster.name", "replica-a");
        Map<String, String> b = new HashMap<>(common);
        b.put("cluster.name", "replica-b");
        try (LiveFixture ra = LiveFixture.start(tmp.resolve("a"), a); LiveFixture rb = LiveFixture.start(tmp.resolve("b"), b)) {
            SimulatedCamera cam = ra.camera(LiveFixture.frames("amy", 1), 4, Duration.ofHours(1)); // registers once, then streams
            String camId = LiveFixture.idOf(cam);
            java.net.InetAddress guest = LiveFixture.newCameraAddress();
            for (int port = 4001; port <= 4004; port++) {
                LiveFixture via = port % 2 == 0 ? ra : rb;
                assertEquals("ACK", via.register(guest, "ip=" + guest.getHostAddress() + ":" + port + "&token=abcd1234").body());
            }
            for (LiveFixture via : List.of(ra, rb)) {
                LiveFixture.Raw fifth = via.register(guest, "ip=" + guest.getHostAddress() + ":4005&token=abcd1234");
                assertEquals(429, fifth.status(), fifth.body());
                assertTrue(fifth.body().endsWith("the limit of 4 (registration.maxPerAddress)"), fifth.body());
            }
            io.camserver.store.ClusterStore shared = new io.camserver.store.ClusterStore(ra.server.database());
            LiveFixture.eventually(Duration.ofSeconds(20), "the fakes expired from the shared table, the streaming camera stayed",
                    () -> shared.registrations().stream().map(io.camserver.store.ClusterStore.Registration::cameraId).toList()
                            .equals(List.of(camId)));
            LiveFixture own = Rendezvous.owner(camId, List.of("replica-a", "replica-b")).orElseThrow().equals("replica-a") ? ra : rb;
            assertEquals("streaming", own.camera(camId).get("state").asText());
        }
    }
}
