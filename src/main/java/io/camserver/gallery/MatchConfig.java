package io.camserver.gallery;

/**
 * The recognition decision.
 *
 * @param threshold cosine similarity a face must reach with a person to be named at all
 * @param margin    how far the best person must lead the runner-up; closer than this is
 *                  ambiguous and reported as unknown, so two look-alikes never flip-flop
 */
public record MatchConfig(float threshold, float margin) {
    public MatchConfig {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("match.threshold must be in (0, 1) (was " + threshold + ")");
        }
        if (!(margin >= 0 && margin < 0.5f)) {
            throw new IllegalArgumentException("match.margin must be in [0, 0.5) (was " + margin + ")");
        }
    }
}
