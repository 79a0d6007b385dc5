package io.camserver.vision;

import java.util.Objects;

/** One face found in a frame: where it is, how sure the detector is, and its five points. */
public record Detection(Box box, float score, Landmarks landmarks) {
    public Detection {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(landmarks, "landmarks");
    }

    /** The same face in a picture {@code factor} times larger. */
    public Detection scaled(float factor) {
        float[] pts = landmarks.xy();
        for (int i = 0; i < pts.length; i++) {
            pts[i] *= factor;
        }
        return new Detection(new Box(box.x() * factor, box.y() * factor, box.w() * factor, box.h() * factor), score, new Landmarks(pts));
    }
}
