package io.camserver.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The wire form of an announced {@link LiveEvent}, one shape for every consumer: SSE
 * {@code data}, webhook bodies and MQTT face messages all carry exactly these fields. A track's
 * end is not announced (it only closes the sighting in the history), so it has no wire form.
 */
public final class LivePayload {
    private LivePayload() {
    }

    /** The SSE event name and webhook {@code X-Camserver-Event} of an announced event; empty for a track's end. */
    public static Optional<String> type(LiveEvent e) {
        return switch (e) {
            case CameraEvent.Online o -> Optional.of("camera-online");
            case CameraEvent.Offline o -> Optional.of("camera-offline");
            case TrackOutcome.Decided d -> d.ignored() ? Optional.empty() : Optional.of("face"); // ignored: recorded, never announced
            case TrackOutcome.Ended x -> Optional.empty();
        };
    }

    /** The fields of an announced event, with the camera's friendly name ({@code cameraName}) beside its id; empty for a track's end. */
    public static Optional<Map<String, Object>> of(LiveEvent e, Function<String, String> cameraName) {
        return type(e).map(type -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("camera", e.cameraId());
            m.put("cameraName", cameraName.apply(e.cameraId()));
            m.put("at", e.at().toString());
            switch (e) {
                case CameraEvent.Offline o -> m.put("reason", o.reason());
                case TrackOutcome.Decided f -> {
                    m.put("trackId", f.trackId());
                    m.put("person", f.personName());
                    m.put("personId", f.personId());
                    m.put("similarity", Math.round(f.similarity() * 1000) / 1000.0);
                    m.put("box", new int[] {Math.round(f.box().x()), Math.round(f.box().y()), Math.round(f.box().w()), Math.round(f.box().h())});
                    m.put("event", f.eventId());
                }
                case CameraEvent.Online o -> {
                }
                case TrackOutcome.Ended x -> {
                }
            }
            return m;
        });
    }
}
