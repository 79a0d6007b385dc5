package io.camserver.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.CameraSpec;
import io.camserver.ingest.registration.RegistrationPolicy;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.metrics.Metrics;
import io.camserver.store.Database;
import io.camserver.store.ReplicaStore;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator on its own, two replicas on one SQLite file: every camera is pulled by exactly
 * the replica rendezvous hashing names, a registration is recorded for all and pulled by its
 * owner, and a replica that leaves hands its cameras to the other.
 */
class ReplicaCoordinatorTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    /** A replica: its database connection, registry and coordinator. */
    private record Replica(Database db, CameraRegistry registry, ReplicaCoordinator coordinator) implements AutoCloseable {
        Set<String> pulled() {
            Set<String> ids = new TreeSet<>();
            registry.cameras().forEach(c -> ids.add(c.id()));
            return ids;
        }

        @Override
        public void close() {
            coordinator.close();
            registry.close();
            db.close();
        }
    }

    private static Replica replica(Path dir, String name, List<ReplicaCoordinator.Pulled> cameras) {
        Database db = Database.sqlite(dir);
        CameraRegistry registry = new CameraRegistry(RegistrationPolicy.defaults(), IngestLimits.DEFAULT, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(10), new Metrics(), List.of());
        return new Replica(db, registry, new ReplicaCoordinator(new ReplicaStore(db), registry, new RemoteCameras(name, "secret", IngestLimits.DEFAULT),
                name, HEARTBEAT, HEARTBEAT.multipliedBy(4), cameras, List::of));
    }

    @Test
    void eachCameraIsPulledByItsOwnerAndALeavingReplicaHandsItsCamerasOver(@TempDir Path dir) throws Exception {
        List<ReplicaCoordinator.Pulled> cameras = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Nothing listens there: the cameras stay offline, which is all the coordinator needs.
            cameras.add(new ReplicaCoordinator.Pulled("cam" + i, CameraRegistry.Source.of(URI.create("http://127.0.0.1:9/cam" + i),
                    CameraSpec.Kind.MJPEG, Duration.ofMillis(500)), Camera.Origin.CONFIG));
        }
        Set<String> all = new TreeSet<>();
        cameras.forEach(c -> all.add(c.id()));
        try (Replica a = replica(dir, "replica-a", cameras); Replica b = replica(dir, "replica-b", cameras)) {
            List<String> both = List.of("replica-a", "replica-b");
            Awaitility.await("both replicas see each other and split the cameras").atMost(Duration.ofSeconds(10)).until(() ->
                    new HashSet<>(a.coordinator().members()).equals(new HashSet<>(both))
                            && new HashSet<>(b.coordinator().members()).equals(new HashSet<>(both))
                            && a.pulled().size() + b.pulled().size() == all.size());
            Set<String> union = new TreeSet<>(a.pulled());
            union.addAll(b.pulled());
            assertEquals(all, union, "every camera pulled");
            for (String id : all) {
                String owner = Rendezvous.owner(id, both).orElseThrow();
                assertEquals(owner.equals("replica-a"), a.pulled().contains(id), id + " pulled by its owner " + owner + " only");
                assertEquals(owner.equals("replica-b"), b.pulled().contains(id), id + " pulled by its owner " + owner + " only");
            }
            assertTrue(!a.pulled().isEmpty() && !b.pulled().isEmpty(), "12 cameras are shared, not all on one: " + a.pulled());

            // A registration through either replica ends on its owner.
            CameraRegistry.Registration r = b.coordinator().register("127.0.0.20:81", "tok", null, InetAddress.getByName("127.0.0.20"));
            assertInstanceOf(CameraRegistry.Accepted.class, r);
            String id = Camera.idFor(io.camserver.ingest.registration.IpLiteral.parseHostPort("127.0.0.20:81").orElseThrow());
            Replica owner = Rendezvous.owner(id, both).orElseThrow().equals("replica-a") ? a : b;
            Awaitility.await("the registered camera on its owner").atMost(Duration.ofSeconds(5)).until(() -> owner.pulled().contains(id));

            a.coordinator().close();
            Awaitility.await("b takes a's cameras").atMost(Duration.ofSeconds(10)).until(() -> b.pulled().containsAll(all) && b.pulled().contains(id));
            assertEquals(List.of("replica-b"), b.coordinator().members());
        }
    }
}
