package io.camserver.app;

import java.util.function.Supplier;
import java.util.stream.Collectors;
import io.camserver.replicas.ReplicaCoordinator;
import io.camserver.replicas.RemoteCameras;
import io.camserver.store.ReplicaStore;
import java.util.List;
import io.camserver.store.Database;
import io.camserver.ingest.CameraCatalog;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.Camera;
import io.camserver.store.CameraStore;
import java.util.Optional;

/**
 * The cameras this replica pulls: those in the config file and those added through the API
 * (in the database). On a single server they start here; in scale-out the coordinator splits
 * them (and registered cameras) between replicas, takes /register and expires registrations.
 */
record Cameras(CameraCatalog catalog, RemoteCameras remote, CameraRegistry.Registrar registrar,
                       Optional<ReplicaCoordinator> coordinator) {
    static Cameras start(ServerConfig cfg, Database db, CameraRegistry registry) {
        CameraCatalog catalog = new CameraCatalog(registry, new CameraStore(db), cfg.cameras().stream().map(ServerConfig.ConfiguredCamera::id)
                .collect(Collectors.toSet()), cfg.replicas().enabled(), cfg.ingest().ffmpeg(), cfg.ingest().limits());
        if (!cfg.replicas().enabled()) {
            for (ServerConfig.ConfiguredCamera c : cfg.cameras()) {
                registry.add(c.id(), c.source(), Camera.Origin.CONFIG);
            }
            catalog.startAll();
            return new Cameras(catalog, RemoteCameras.none(), registry::register, Optional.empty());
        }
        // Other replicas' cameras, listed and relayed.
        RemoteCameras remote = new RemoteCameras(cfg.replicas().name(), cfg.replicas().secret().orElseThrow(), cfg.ingest().limits());
        List<ReplicaCoordinator.Pulled> configured = cfg.cameras().stream()
                .map(c -> new ReplicaCoordinator.Pulled(c.id(), c.source(), Camera.Origin.CONFIG))
                .toList();
        String ffmpeg = cfg.ingest().ffmpeg();
        Supplier<List<ReplicaCoordinator.Pulled>> managed = () -> catalog.entries().stream()
                .map(e -> new ReplicaCoordinator.Pulled(e.id(), e.source(ffmpeg), Camera.Origin.API))
                .toList();
        ReplicaCoordinator coordinator = new ReplicaCoordinator(new ReplicaStore(db), registry, remote, cfg.replicas().name(),
                cfg.replicas().heartbeat(), cfg.replicas().deadAfter(), configured, managed);
        return new Cameras(catalog, remote, coordinator, Optional.of(coordinator));
    }
}
