package io.camserver.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.gallery.MatchConfig;
import io.camserver.vision.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of eval on numbers worked out by hand. */
class PairStatsTest {
    @Test
    void tarAtFarReadsTheThresholdOffTheImpostorTail() {
        // 1000 impostor scores 0.000 .. 0.999; genuine 0.9950, 0.9985 and 0.5.
        double[] imp = new double[1000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i / 1000.0;
        }
        double[] gen = {0.5, 0.995, 0.9985};
        Arrays.sort(gen);
        PairStats.AtFar one = PairStats.atFar(gen, imp, 1e-3);
        // one impostor pair may pass: the threshold is the second highest impostor, 0.998
        assertEquals(0.998, one.threshold(), 1e-9);
        assertTrue(one.resolved());
        assertEquals(1 / 3.0, one.tar(), 1e-9, "only 0.9985 is above 0.998");
        PairStats.AtFar ten = PairStats.atFar(gen, imp, 1e-2);
        assertEquals(0.989, ten.threshold(), 1e-9);
        assertEquals(2 / 3.0, ten.tar(), 1e-9);
        PairStats.AtFar tooFine = PairStats.atFar(gen, imp, 1e-4);
        assertFalse(tooFine.resolved(), "1e-4 of 1000 pairs is under one pair");
        assertEquals(0.999, tooFine.threshold(), 1e-9, "then the highest impostor is the threshold");
    }

    @Test
    void strangersPairOnlyWithLabelledFacesAndDPrimeSeparatesTheMeans() {
        List<String> labels = Arrays.asList("a", "a", "b", null, null);
        double[][] sim = {
                {1, .9, .1, .2, .3},
                {.9, 1, .1, .2, .3},
                {.1, .1, 1, .2, .3},
                {.2, .2, .2, 1, .99},
                {.3, .3, .3, .99, 1}};
        PairStats s = PairStats.of(labels, (i, j) -> sim[i][j], 1e-2);
        assertEquals(1, s.genuine().count());
        assertEquals(2 + 6, s.impostor().count(), "a-b twice, each stranger with 3 labelled faces; the two strangers not paired");
        assertEquals(0.3, s.impostor().max(), 1e-9);
        assertTrue(Double.isNaN(s.dPrime()), "one genuine pair has no variance");
    }

    private static Embedding unit(String model, double angle) {
        return Embedding.normalized(new float[] {(float) Math.cos(angle), (float) Math.sin(angle)}, model);
    }

    @Test
    void identificationRotatesStrangersAndProbesOutsidersInEveryFold() {
        // Three people on well separated directions, two photos each, plus one outsider between two of them.
        List<String> labels = new ArrayList<>();
        List<Embedding> faces = new ArrayList<>();
        String[] people = {"a", "b", "c"};
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < 2; k++) {
                labels.add(people[p]);
                faces.add(unit("m", p * 2.0 + k * 0.05));
            }
        }
        labels.add(null);
        faces.add(unit("m", 1.0));
        Identification id = Identification.run(labels, faces, 1, 1, new MatchConfig(0.9f, 0.05f));
        assertEquals(3, id.folds());
        assertEquals(3 * 2, id.probes(), "each of 3 folds: the 2 known people's second photo");
        assertEquals(3 * 2 + 3, id.strangerProbes(), "each fold: the left-out person's 2 photos and the outsider");
        assertEquals(1.0, id.rank1());
        assertEquals(1.0, id.namedRight());
        assertEquals(1.0, id.unknownRight(), "cos(1 rad) = 0.54 < 0.9: the outsider stays unknown");
        assertEquals(0, id.strangerNamed());
    }
}
