package io.camserver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory faces of the history: 8-bit vectors that rank as the floats do, within a small error. */
class SightingIndexTest {
    private static float[] unit(Random r, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A unit vector at about cosine {@code c} to {@code a}. */
    private static float[] near(float[] a, double c, Random r) {
        float[] noise = unit(r, a.length);
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (float) (c * a[i] + Math.sqrt(1 - c * c) * noise[i]);
        }
        double n = Math.sqrt(dot(v, v));
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) n;
        }
        return v;
    }

    @Test
    void searchRanksLikeTheFloatVectorsAndFindsTheNearOnesFirst() {
        Random r = new Random(3);
        SightingIndex index = new SightingIndex();
        float[] face = unit(r, 512);
        float[][] all = new float[2000][];
        for (int i = 0; i < all.length; i++) {
            all[i] = i < 5 ? near(face, 0.9 - i * 0.1, r) : unit(r, 512);
            index.add("e" + i, 1000L + i, i % 2 == 0 ? null : "p", all[i]);
        }
        List<SightingIndex.Hit> hits = index.search(face, 5, 0.2f);
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), hits.stream().map(SightingIndex.Hit::eventId).toList());
        for (SightingIndex.Hit h : hits) {
            float exact = dot(face, all[Integer.parseInt(h.eventId().substring(1))]);
            assertTrue(Math.abs(exact - h.similarity()) < 0.01, h + " vs " + exact);
        }
        assertEquals(3, index.search(face, 10, 0.65f).size(), "only those at least as similar as asked");
        // Unknown ones (even-numbered) since a time, like any of the samples.
        List<String> unknown = index.unknownLike(List.of(face), 0.5f, 1002).stream().map(SightingIndex.Hit::eventId).toList();
        assertEquals(List.of("e2", "e4"), unknown.stream().sorted().toList(), "e0 is too old, e1 and e3 name someone");
        index.setPerson("e2", "p");
        assertEquals(List.of("e4"), index.unknownLike(List.of(face), 0.5f, 1002).stream().map(SightingIndex.Hit::eventId).toList());
        index.add("e0", 5000L, null, face); // the same sighting again is not a second one
        assertEquals(2000, index.size());
    }
}
