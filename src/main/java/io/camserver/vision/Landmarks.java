package io.camserver.vision;

import java.util.Arrays;

/**
 * Five facial points in the ArcFace order, in source-image pixels: the eye on the image's left,
 * the eye on the image's right, the nose tip, the mouth corner on the image's left, the mouth
 * corner on the image's right.
 *
 * <p>Detectors that find only the mouth centre (BlazeFace) put it in both mouth slots. In the
 * least-squares similarity fit used for alignment that is exactly a fit of the centre to the
 * midpoint of the template's two corners, with double weight, so no special case is needed.
 */
public record Landmarks(float[] xy) {
    public static final int COUNT = 5;

    public Landmarks {
        if (xy == null || xy.length != COUNT * 2) {
            throw new IllegalArgumentException("landmarks need " + COUNT * 2 + " coordinates (was "
                    + (xy == null ? "null" : xy.length) + ")");
        }
        xy = xy.clone();
    }

    public float x(int i) {
        return xy[2 * i];
    }

    public float y(int i) {
        return xy[2 * i + 1];
    }

    @Override
    public float[] xy() {
        return xy.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Landmarks l && Arrays.equals(xy, l.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "Landmarks" + Arrays.toString(xy);
    }
}
