package io.camserver.live;

import java.time.Instant;

/**
 * Everything the live system announces, and the one type the {@link Dispatcher} carries: a
 * camera's stream coming and going ({@link CameraEvent}) and analysis deciding or ending a face
 * track ({@link TrackOutcome}). Subscribers switch over the four leaves; the compiler tells them
 * when a new kind appears.
 */
public sealed interface LiveEvent permits CameraEvent, TrackOutcome {
    String cameraId();

    /** When it happened (a track's end: when the face was last seen). */
    Instant at();
}
