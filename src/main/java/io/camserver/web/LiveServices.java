package io.camserver.web;

import io.camserver.analysis.AnalysisService;
import io.camserver.replicas.RemoteCameras;
import io.camserver.comms.Integrations;
import io.camserver.live.Dispatcher;
import io.camserver.ingest.CameraRegistry;
import io.camserver.metrics.Metrics;
import io.camserver.output.Broadcaster;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What the HTTP layer talks to. {@code registrar} takes /register (the registry itself, or the
 * scale-out coordinator); {@code registrationEnabled} false answers /register with 404 (for
 * deployments where cameras are only configured statically).
 */
public record LiveServices(CameraRegistry registry, CameraRegistry.Registrar registrar, AnalysisService analysis, Dispatcher dispatcher,
                           Metrics metrics, boolean registrationEnabled, BooleanSupplier ready,
                           java.util.function.Supplier<java.util.Optional<String>> degraded, Integrations integrations,
                           RemoteCameras remote, Broadcaster mosaic, io.camserver.ingest.CameraCatalog catalog,
                           io.camserver.ingest.CameraNames names) {
    public LiveServices {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(degraded, "degraded");
        Objects.requireNonNull(integrations, "integrations");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(mosaic, "mosaic");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(names, "names");
    }
}
