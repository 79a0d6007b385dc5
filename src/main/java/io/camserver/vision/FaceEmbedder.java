package io.camserver.vision;

/** Turns an aligned face into a unit-length embedding. Not thread-safe: one per worker. */
public interface FaceEmbedder extends AutoCloseable {
    Embedding embed(AlignedFace face);

    /** Identifies the model exactly (name and file hash): embeddings of different ids never mix. */
    String modelId();

    @Override
    void close();
}
