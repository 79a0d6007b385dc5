package io.camserver.live;

import java.time.Instant;
import java.util.Objects;

/** A camera's stream started or stopped delivering frames. */
public sealed interface CameraEvent extends LiveEvent permits CameraEvent.Online, CameraEvent.Offline {

    /** The camera's stream started delivering frames. */
    record Online(String cameraId, Instant at) implements CameraEvent {
        public Online {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** The camera's stream failed; {@code reason} is the last error in words. */
    record Offline(String cameraId, Instant at, String reason) implements CameraEvent {
        public Offline {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
