package io.camserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online grouping of unknown faces in the database: near faces join, far ones start a visitor, centroids follow. */
class VisitorGroupingTest {
    static float[] unit(float... v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    @Test
    void nearFacesJoinFarFacesStartANewVisitorAndTheCentroidMoves(@TempDir Path tmp) {
        try (Database db = Database.sqlite(tmp)) {
            EventStore s = new EventStore(db);
            String a = s.visitors().join("m", unit(1, 0, 0), 0.45f, 1);
            String a2 = s.visitors().join("m", unit(0.9f, 0.3f, 0), 0.45f, 2);
            assertEquals(a, a2, "cosine 0.95: the same stranger");
            String b = s.visitors().join("m", unit(0, 0, 1), 0.45f, 3);
            assertNotEquals(a, b, "cosine 0: another stranger");
            String other = s.visitors().join("another-model", unit(1, 0, 0), 0.45f, 4);
            assertNotEquals(a, other, "clusters never mix embedding models");
            List<VisitorStore.VisitorInfo> m = s.visitors().list("m");
            assertEquals(2, m.size());
            VisitorStore.VisitorInfo first = m.stream().filter(c -> c.id().equals(a)).findFirst().orElseThrow();
            assertEquals(2, first.sightings());
            assertTrue(first.centroid()[1] > 0.1f && first.centroid()[0] > 0.9f, "the centroid moved towards the second face");
            assertEquals(List.of(1L, 2L), m.stream().map(VisitorStore.VisitorInfo::number).sorted().toList(), "numbered in order of creation");
        }
    }
}
