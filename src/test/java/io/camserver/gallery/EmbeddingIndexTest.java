package io.camserver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.vision.Embedding;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The threshold / margin / unknown decision on vectors whose similarities are known exactly. */
class EmbeddingIndexTest {
    private static final String MODEL = "test-model";
    private static final Person ANN = new Person("ann", "Ann");
    private static final Person BOB = new Person("bob", "Bob");

    /** A unit vector at cosine {@code c} to e0, lying in the e0/e{axis} plane. */
    private static Embedding at(double c, int axis) {
        float[] v = new float[8];
        v[0] = (float) c;
        v[axis] = (float) Math.sqrt(1 - c * c);
        return new Embedding(v, MODEL);
    }

    private static Embedding probe() {
        return at(1.0, 1);
    }

    @Test
    void namesThePersonAboveThresholdAndClearOfTheRunnerUp() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.8, 1)).add(ANN, at(0.5, 2)).add(BOB, at(0.3, 3)).build();
        Match m = idx.match(probe());
        assertEquals("Ann", m.displayName());
        assertEquals(0.8f, m.similarity(), 1e-5);
        assertEquals(0.3f, m.runnerUp(), 1e-5);
        assertEquals(Match.Reason.MATCHED, m.reason());
    }

    @Test
    void belowThresholdIsUnknownButKeepsTheNearestAndItsSimilarity() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f)).add(ANN, at(0.35, 1)).build();
        Match m = idx.match(probe());
        assertFalse(m.known());
        assertEquals(Match.UNKNOWN, m.displayName());
        assertEquals(Match.Reason.BELOW_THRESHOLD, m.reason());
        assertEquals("Ann", m.nearest().orElseThrow().name());
        assertEquals(0.35f, m.similarity(), 1e-5);
    }

    @Test
    void twoPeopleWithinTheMarginIsAmbiguousAndUnknown() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.72, 1)).add(BOB, at(0.70, 2)).build();
        Match m = idx.match(probe());
        assertEquals(Match.Reason.AMBIGUOUS, m.reason());
        assertFalse(m.known());
        // with no margin the same faces are named
        assertEquals("Ann", idx.withConfig(new MatchConfig(0.4f, 0f)).match(probe()).displayName());
    }

    @Test
    void severalSamplesOfOnePersonDoNotCountAsARunnerUp() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.72, 1)).add(ANN, at(0.71, 2)).add(ANN, at(0.70, 3)).build();
        Match m = idx.match(probe());
        assertTrue(m.known());
        assertEquals(0f, m.runnerUp());
    }

    @Test
    void emptyGalleryAnswersUnknown() {
        Match m = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f)).build().match(probe());
        assertEquals(Match.Reason.EMPTY_GALLERY, m.reason());
        assertEquals("unknown", m.displayName());
    }

    @Test
    void refusesVectorsOfAnotherModel() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f)).add(ANN, at(0.8, 1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> idx.match(new Embedding(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, "other")));
        assertTrue(e.getMessage().contains("re-embed the gallery"), e.getMessage());
    }

    @Test
    void blockedScoresEqualPlainDotProductsForEveryRowCount() {
        Random r = new Random(1);
        for (int rows : new int[] {1, 3, 4, 5, 9}) {
            int dim = 37;
            float[] m = new float[rows * dim];
            float[] q = new float[dim];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < dim; i++) {
                q[i] = (float) r.nextGaussian();
            }
            float[] out = new float[rows];
            EmbeddingIndex.scores(q, m, dim, rows, out);
            for (int row = 0; row < rows; row++) {
                double s = 0;
                for (int i = 0; i < dim; i++) {
                    s += q[i] * m[row * dim + i];
                }
                assertEquals(s, out[row], 1e-3, "rows=" + rows + " row=" + row);
            }
        }
    }

    @Test
    void configIsValidatedWithNamesAndValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MatchConfig(1.5f, 0.05f));
        assertEquals("match.threshold must be in (0, 1) (was 1.5)", e.getMessage());
    }
}
