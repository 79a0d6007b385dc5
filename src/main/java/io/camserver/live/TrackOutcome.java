package io.camserver.live;

import io.camserver.vision.Box;
import io.camserver.vision.FaceQuality;
import java.time.Instant;
import java.util.Objects;

/**
 * What analysis decides about a face track. Produced on an analysis worker, so it carries
 * everything already encoded: persisting and announcing it happen elsewhere, off the hot path.
 */
public sealed interface TrackOutcome extends LiveEvent permits TrackOutcome.Decided, TrackOutcome.Ended {
    long trackId();

    /**
     * The vote decided (or changed) who a track is.
     *
     * @param personId  null for unknown
     * @param crop      the aligned 112x112 face, JPEG (becomes a sample if the user says so)
     * @param thumbnail the face with some margin, JPEG
     * @param snapshot  the whole frame, downscaled, with this face boxed and named, JPEG
     * @param eventId   the sighting's id in the history, the same in every message about the track
     * @param ignored   the face is like one the user chose to ignore (a poster, a television): the
     *                  history records it, nothing announces it (no live face event, MQTT or webhook)
     */
    record Decided(String cameraId, long trackId, String personId, String personName, float similarity, Box box, Instant firstSeen,
                   Instant at, String modelId, float[] embedding, byte[] crop, byte[] thumbnail, byte[] snapshot, String eventId,
                   FaceQuality quality, boolean ignored)
            implements TrackOutcome {
        public Decided {
            Objects.requireNonNull(cameraId, "cameraId");
            Objects.requireNonNull(personName, "personName");
            Objects.requireNonNull(box, "box");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(eventId, "eventId");
        }
    }

    /** The track ended: the face left the picture at {@code at}. */
    record Ended(String cameraId, long trackId, Instant at, float bestSimilarity) implements TrackOutcome {
    }
}
