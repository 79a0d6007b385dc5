package io.camserver.vision;

import java.util.Objects;

/** One face found in a frame: where it is, how sure the detector is, and its five points. */
public record Detection(Box box, float score, Landmarks landmarks) {
    public Detection {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(landmarks, "landmarks");
    }
}
