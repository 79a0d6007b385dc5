package io.camserver.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Embeddings as bytes: float32, little-endian, no header (the row carries the model id). */
public final class Blobs {
    private Blobs() {
    }

    public static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    public static float[] floats(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new StoreException("embedding blob of " + bytes.length + " bytes is not a float32 vector");
        }
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
