package io.camserver.gallery;

import io.camserver.vision.Embedding;

/** Names a face embedding, or says it is unknown. Implementations are safe for concurrent reads. */
public interface Gallery {
    Match match(Embedding embedding);

    /** Number of people that can be named. */
    int size();

    /** The threshold and margin its matches are decided with. */
    MatchConfig config();
}
