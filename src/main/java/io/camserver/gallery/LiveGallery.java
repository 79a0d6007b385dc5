package io.camserver.gallery;

import io.camserver.vision.Embedding;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gallery the live pipeline matches against, swapped atomically when people are enrolled
 * or removed: workers always see a complete snapshot, never a half-updated one.
 */
public final class LiveGallery implements Gallery {
    private final AtomicReference<EmbeddingIndex> current;

    public LiveGallery(EmbeddingIndex initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public EmbeddingIndex snapshot() {
        return current.get();
    }

    public void replace(EmbeddingIndex next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    public Match match(Embedding embedding) {
        return current.get().match(embedding);
    }

    @Override
    public MatchConfig config() {
        return current.get().config();
    }

    @Override
    public int size() {
        return current.get().size();
    }
}
