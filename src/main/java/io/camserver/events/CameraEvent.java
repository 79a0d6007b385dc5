package io.camserver.events;

import io.camserver.vision.Box;
import java.time.Instant;
import java.util.Objects;

/** What the live system tells its observers (SSE clients, the event history). */
public sealed interface CameraEvent permits CameraEvent.Online, CameraEvent.Offline, CameraEvent.FaceSeen {
    String cameraId();

    Instant at();

    /** The SSE event name. */
    String type();

    /** The camera's stream started delivering frames. */
    record Online(String cameraId, Instant at) implements CameraEvent {
        public Online {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String type() {
            return "camera-online";
        }
    }

    /** The camera's stream failed; {@code reason} is the last error in words. */
    record Offline(String cameraId, Instant at, String reason) implements CameraEvent {
        public Offline {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "camera-offline";
        }
    }

    /**
     * A tracked face whose identity was decided (or changed) by the vote over its frames.
     *
     * @param person     the person's name, or {@code unknown}
     * @param personId   the person's id, or null when unknown
     * @param similarity best similarity behind the decision
     * @param eventId    the sighting in the event history ({@code /api/events/{id}/snapshot.jpg})
     */
    record FaceSeen(String cameraId, Instant at, long trackId, String person, String personId, float similarity, Box box,
                    String eventId) implements CameraEvent {
        public FaceSeen {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(box, "box");
        }

        @Override
        public String type() {
            return "face";
        }
    }
}
