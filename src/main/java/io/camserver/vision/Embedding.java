package io.camserver.vision;

import java.util.Arrays;
import java.util.Objects;

/**
 * A unit-length face descriptor and the id of the model that made it. Vectors of different
 * models live in different spaces; {@link #cosine} refuses to compare them.
 */
public record Embedding(float[] vector, String modelId) {
    public Embedding {
        Objects.requireNonNull(modelId, "modelId");
        if (vector == null || vector.length == 0) {
            throw new IllegalArgumentException("embedding vector must not be empty");
        }
        vector = vector.clone();
    }

    /** Normalises {@code raw} to unit length; a zero vector is refused (a dead model output). */
    public static Embedding normalized(float[] raw, String modelId) {
        double sum = 0;
        for (float v : raw) {
            sum += (double) v * v;
        }
        if (!(sum > 1e-12) || Double.isNaN(sum) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("embedding from " + modelId + " has norm " + Math.sqrt(sum) + "; cannot normalise");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] * inv;
        }
        return new Embedding(out, modelId);
    }

    public int dimension() {
        return vector.length;
    }

    public float cosine(Embedding other) {
        if (!modelId.equals(other.modelId) || vector.length != other.vector.length) {
            throw new IllegalArgumentException("cannot compare embeddings of " + modelId + " and " + other.modelId);
        }
        float s = 0;
        for (int i = 0; i < vector.length; i++) {
            s += vector[i] * other.vector[i];
        }
        return s;
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    /** The vector without a defensive copy, for hot loops that promise not to write to it. */
    public float[] unsafeVector() {
        return vector;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && modelId.equals(e.modelId) && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return 31 * modelId.hashCode() + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[" + modelId + ", dim=" + vector.length + "]";
    }
}
