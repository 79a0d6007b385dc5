package io.camserver.events;

import io.camserver.vision.Box;
import io.camserver.vision.FaceQuality;
import java.time.Instant;

/**
 * What analysis hands to the event history about a track. Produced on an analysis worker, so
 * it carries everything already encoded: persisting it happens elsewhere, off the hot path.
 */
public sealed interface TrackOutcome permits TrackOutcome.Decided, TrackOutcome.Ended {
    String cameraId();

    long trackId();

    /**
     * The vote decided (or changed) who a track is.
     *
     * @param personId  null for unknown
     * @param crop      the aligned 112x112 face, JPEG (becomes a sample if the user says so)
     * @param thumbnail the face with some margin, JPEG
     * @param snapshot  the whole frame, downscaled, with this face boxed and named, JPEG
     * @param eventId   the sighting's id in the history, the same in every message about the track
     */
    record Decided(String cameraId, long trackId, String personId, String personName, float similarity, Box box, Instant firstSeen,
                   Instant at, String modelId, float[] embedding, byte[] crop, byte[] thumbnail, byte[] snapshot, String eventId,
                   FaceQuality quality)
            implements TrackOutcome {
    }

    /** The track ended: the face left the picture. */
    record Ended(String cameraId, long trackId, Instant lastSeen, float bestSimilarity) implements TrackOutcome {
    }

    /** Receives outcomes; must not block the caller. */
    interface Sink {
        void accept(TrackOutcome outcome);

        Sink NONE = o -> { };
    }
}
