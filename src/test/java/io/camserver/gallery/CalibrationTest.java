package io.camserver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.vision.Embedding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calibration on vectors whose similarities are known exactly. */
class CalibrationTest {
    private static final String MODEL = "m";

    /** A unit vector at cosine {@code c} to e0, in the e0/e{axis} plane. */
    private static Embedding at(double c, int axis) {
        float[] v = new float[16];
        v[0] = (float) c;
        v[axis] = (float) Math.sqrt(1 - c * c);
        return new Embedding(v, MODEL);
    }

    @Test
    void genuineAndImpostorPairsGiveTheSuggestedThresholdAndTheLookAlikes() {
        Person ann = new Person("a", "Ann");
        Person bob = new Person("b", "Bob");
        Person cat = new Person("c", "Cat");
        // Each person's samples share an axis of their own (genuine pairs ~0.8); across people only e0 is shared.
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(ann, emb(0.3, 1, 0.9, 2)).add(ann, emb(0.3, 1, 0.9, 3))
                .add(bob, emb(0.3, 4, 0.9, 5)).add(bob, emb(0.3, 4, 0.9, 6))
                .add(cat, emb(0.6, 7, 0.7, 8)).add(cat, emb(0.6, 7, 0.7, 9)).build();
        Calibration c = Calibration.of(idx);
        assertEquals(3, c.genuine().count());
        assertEquals(12, c.impostor().count());
        assertTrue(c.impostor().p99() < c.genuine().p5(), c.toString());
        assertTrue(c.suggestedThreshold() > c.impostor().p99() && c.suggestedThreshold() < c.genuine().p5(), c.toString());
        assertEquals(List.of("Ann", "Bob"), List.of(c.closestPairs().get(c.closestPairs().size() - 1).a(), c.closestPairs().get(c.closestPairs().size() - 1).b()),
                "Ann and Bob share least");
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void lookAlikesOverTheThresholdAndOnePhotoPeopleAreWarnedAbout() {
        EmbeddingIndex idx = EmbeddingIndex.builder(MODEL, new MatchConfig(0.4f, 0.05f))
                .add(new Person("s", "Sheldon"), at(0.9, 1)).add(new Person("l", "Leonard"), at(0.6, 2)).build();
        Calibration c = Calibration.of(idx);
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("Sheldon and Leonard look alike to this model: 0.54")), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("Sheldon has one sample")), c.warnings().toString());
        assertEquals(0.4f, c.suggestedThreshold(), "too few pairs: the threshold stays");
    }

    /** {@code a} on e0, {@code b} on e{axisB}, {@code c} on e{axisC}, normalised. */
    private static Embedding emb(double a, int axisB, double b, int axisC) {
        float[] v = new float[16];
        v[0] = (float) a;
        v[axisB] = (float) b;
        v[axisC] = (float) Math.sqrt(Math.max(0, 1 - a * a - b * b));
        return Embedding.normalized(v, MODEL);
    }
}
