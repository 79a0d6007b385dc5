package io.camserver.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire form of a {@link CameraEvent}, one shape for every consumer: SSE {@code data}, webhook
 * bodies and MQTT face messages all carry exactly these fields.
 */
public final class EventPayload {
    private EventPayload() {
    }

    public static Map<String, Object> of(CameraEvent e) {
        return of(e, id -> id);
    }

    /** As above, with the camera's friendly name ({@code cameraName}) beside its id. */
    public static Map<String, Object> of(CameraEvent e, java.util.function.Function<String, String> cameraName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("camera", e.cameraId());
        m.put("cameraName", cameraName.apply(e.cameraId()));
        m.put("at", e.at().toString());
        switch (e) {
            case CameraEvent.Online o -> {
            }
            case CameraEvent.Offline o -> m.put("reason", o.reason());
            case CameraEvent.FaceSeen f -> {
                m.put("trackId", f.trackId());
                m.put("person", f.person());
                m.put("personId", f.personId());
                m.put("similarity", Math.round(f.similarity() * 1000) / 1000.0);
                m.put("box", new int[] {Math.round(f.box().x()), Math.round(f.box().y()), Math.round(f.box().w()), Math.round(f.box().h())});
                m.put("event", f.eventId());
            }
        }
        return m;
    }

    /** The face event a decided track makes, as analysis published it on the event bus. */
    public static CameraEvent.FaceSeen faceOf(TrackOutcome.Decided d) {
        return new CameraEvent.FaceSeen(d.cameraId(), d.at(), d.trackId(), d.personName(), d.personId(), d.similarity(), d.box(),
                d.eventId());
    }
}
