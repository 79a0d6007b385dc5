package io.camserver.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.camserver.events.CameraEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** One configured JSON mapper: ISO-8601 instants, no surprises. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    public static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    /** The wire form of an event (SSE data, event history). */
    public static Map<String, Object> event(CameraEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("camera", e.cameraId());
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
            }
        }
        return m;
    }
}
