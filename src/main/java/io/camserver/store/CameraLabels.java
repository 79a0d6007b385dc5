package io.camserver.store;

import java.util.Map;
import java.util.Objects;

/** Where camera names and locations are kept: the database ({@link CameraLabelStore}), or nowhere for tools. */
public interface CameraLabels {
    /** A camera's name and optional location (empty when not given). */
    record Label(String name, String location) {
        public Label {
            Objects.requireNonNull(name, "name");
            location = location == null ? "" : location;
        }
    }

    Map<String, Label> all();

    void put(String id, Label label);
}
