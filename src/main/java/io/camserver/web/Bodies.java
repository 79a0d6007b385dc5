package io.camserver.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.camserver.gallery.GalleryService;
import io.camserver.ingest.CameraNames;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import java.util.List;

/**
 * The response bodies more than one resource sends: a person, a sample, a sighting. Each is a
 * record serialised by Jackson as it stands, and each is described under the same name (less
 * "Body") in {@code /openapi.json}; a test holds the two together, field by field.
 */
final class Bodies {
    private Bodies() {
    }

    record PersonBody(String id, String name, int samples, long createdAt, String thumbnail) {
        static PersonBody of(PeopleStore.PersonInfo p) {
            return new PersonBody(p.id(), p.name(), p.samples(), p.createdAt(),
                    p.bestSampleId().map(id -> "/api/samples/" + id + "/crop.jpg").orElse(null));
        }
    }

    /** The view a face was seen or enrolled from: face height (px), sharpness (Laplacian variance), yaw (degrees). */
    record QualityBody(long height, long sharpness, long yaw) {
        static QualityBody of(EventStore.Quality q) {
            return new QualityBody(Math.round(q.height()), Math.round(q.sharpness()), Math.round(q.yaw()));
        }
    }

    /** How a sample compares with the person's other samples; {@code outlier} when it looks like someone else. */
    record ConsistencyBody(int others, float best, float mean, boolean outlier) {
        static ConsistencyBody of(GalleryService.Consistency c) {
            return new ConsistencyBody(c.others(), c.best(), c.mean(), c.outlier());
        }
    }

    /** A sample; {@code consistency} and {@code warning} are given where the sample was compared with the others. */
    record SampleBody(String id, String personId, String modelId, String source, String eventId, long createdAt, String crop,
                      @JsonInclude(JsonInclude.Include.NON_NULL) QualityBody quality,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ConsistencyBody consistency,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {
        static SampleBody of(PeopleStore.SampleInfo s) {
            return of(s, null);
        }

        static SampleBody of(PeopleStore.SampleInfo s, GalleryService.Consistency c) {
            return new SampleBody(s.id(), s.personId(), s.modelId(), s.source(), s.eventId().orElse(null), s.createdAt(),
                    "/api/samples/" + s.id() + "/crop.jpg", s.quality().map(QualityBody::of).orElse(null),
                    c == null ? null : ConsistencyBody.of(c), c == null ? null : c.warning().orElse(null));
        }
    }

    /**
     * A sighting in the history.
     *
     * @param visitor   the group of unknown faces it belongs to ("unknown #12"), for an unknown face
     * @param quality   the view the name was decided from; null for sightings recorded before it was kept
     */
    record EventBody(String id, String camera, String cameraName, long trackId, String personId, String person, String visitor,
                     String visitorId, double similarity, long firstSeen, long lastSeen, int[] box, QualityBody quality, String thumbnail,
                     String snapshot, boolean relabelled, Long relabelledAt) {
        static EventBody of(EventStore.EventInfo e, CameraNames names) {
            return new EventBody(e.id(), e.cameraId(), names.name(e.cameraId()), e.trackId(), e.personId().orElse(null),
                    e.personName().orElse("unknown"), e.visitorNumber().map(n -> "unknown #" + n).orElse(null), e.visitorId().orElse(null),
                    Http.round(e.similarity()), e.firstSeen(), e.lastSeen(), e.box(), e.quality().map(QualityBody::of).orElse(null),
                    "/api/events/" + e.id() + "/thumbnail.jpg", "/api/events/" + e.id() + "/snapshot.jpg", e.relabelledAt().isPresent(),
                    e.relabelledAt().orElse(null));
        }

        static List<EventBody> of(List<EventStore.EventInfo> events, CameraNames names) {
            return events.stream().map(e -> of(e, names)).toList();
        }
    }
}
