package io.camserver.gallery;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    @Test
    void aFaceAsCloseToAPersonsNegativeAsToTheirSamplesIsNeverThemButMayBeTheNext() {
        // The probe is 0.8 from Ann's sample, 0.6 from Bob's; a face said not to be Ann sits at 0.85.
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.8, 1)).add(BOB, at(0.6, 2)).negative(ANN, at(0.85, 3)).build();
        Match m = idx.match(probe());
        assertEquals("Bob", m.displayName(), "Ann is out; Bob passes on his own");
        assertEquals(List.of("Bob"), m.ranked().stream().map(r -> r.person().name()).toList());
        assertEquals(1, idx.negatives());
        // A negative farther than Ann's own sample changes nothing.
        EmbeddingIndex far = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.8, 1)).add(BOB, at(0.6, 2)).negative(ANN, at(0.5, 3)).build();
        assertEquals("Ann", far.match(probe()).displayName());
    }

    @Test
    void aFaceLikeAnIgnoredOneIsStillMatchedButMarkedIgnored() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.5, 1)).ignore(at(0.9, 2)).build();
        Match m = idx.match(probe());
        assertTrue(m.ignored(), "closer to the ignored face than to anyone, and within the threshold");
        EmbeddingIndex nearAnn = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ANN, at(0.95, 1)).ignore(at(0.9, 2)).build();
        assertFalse(nearAnn.match(probe()).ignored(), "Ann herself, closer to her samples than to the poster: announced");
    }

    @Test
    void onePersonAtMostOncePerFrameTheBetterMatchKeepsTheName() {
        MatchConfig cfg = new MatchConfig(0.4f, 0.05f);
        Match strong = new Match(Optional.of(ANN), 0.8f, Optional.of(ANN), 0.3f, Match.Reason.MATCHED,
                List.of(new Scored(ANN, 0.8f), new Scored(BOB, 0.3f)), false);
        Match weakWithBob = new Match(Optional.of(ANN), 0.7f, Optional.of(ANN), 0.6f, Match.Reason.MATCHED,
                List.of(new Scored(ANN, 0.7f), new Scored(BOB, 0.6f)), false);
        Match weakAlone = new Match(Optional.of(ANN), 0.7f, Optional.of(ANN), 0.2f, Match.Reason.MATCHED,
                List.of(new Scored(ANN, 0.7f), new Scored(BOB, 0.2f)), false);
        // The weaker face first in the list: order does not matter, the better one keeps Ann.
        List<Match> a = OnePerFrame.assign(List.of(weakWithBob, strong), cfg, Map.of());
        assertEquals("Bob", a.get(0).displayName(), "falls back on its next candidate, which passes on its own");
        assertEquals("Ann", a.get(1).displayName());
        List<Match> b = OnePerFrame.assign(List.of(weakAlone, strong), cfg, Map.of());
        assertEquals(Match.Reason.TAKEN, b.get(0).reason(), "no next candidate over the threshold: unknown");
        assertEquals("Ann", b.get(1).displayName());
        // Two different people are both named.
        Match bob = new Match(Optional.of(BOB), 0.6f, Optional.of(BOB), 0.1f, Match.Reason.MATCHED, List.of(new Scored(BOB, 0.6f)), false);
        assertEquals(List.of("Ann", "Bob"), OnePerFrame.assign(List.of(strong, bob), cfg, Map.of()).stream().map(Match::displayName).toList());
        // Ann already named on another face in view with 0.9: this 0.8 does not take her; with 0.75 held it does.
        assertEquals(Match.Reason.TAKEN, OnePerFrame.assign(List.of(strong), cfg, Map.of("ann", 0.9f)).get(0).reason());
        assertEquals("Ann", OnePerFrame.assign(List.of(strong), cfg, Map.of("ann", 0.75f)).get(0).displayName());
    }
}
