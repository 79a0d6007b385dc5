package io.camserver.live;

import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.Frame;
import java.time.Instant;
import java.util.Objects;

/** Announces each camera's stream starting and failing: the registry's listener that publishes {@link CameraEvent}s. */
public final class CameraStates implements CameraRegistry.Listener {
    private final Dispatcher dispatcher;

    public CameraStates(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    @Override
    public void online(Camera camera, Instant at) {
        dispatcher.publish(new CameraEvent.Online(camera.id(), at));
    }

    @Override
    public void offline(Camera camera, Instant at, String reason) {
        dispatcher.publish(new CameraEvent.Offline(camera.id(), at, reason));
    }

    @Override
    public void added(Camera camera) {
    }

    @Override
    public void frameArrived(Camera camera, Frame frame) {
    }

    @Override
    public void removed(Camera camera) {
    }
}
