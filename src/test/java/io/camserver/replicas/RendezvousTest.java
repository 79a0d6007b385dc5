package io.camserver.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    @Test
    void everyReplicaComputesTheSameOwnerAndOnlyTheLeaversCamerasMove() {
        List<String> three = List.of("camserver-0", "camserver-1", "camserver-2");
        List<String> two = List.of("camserver-0", "camserver-2");
        Map<String, Integer> counts = new HashMap<>();
        int moved = 0;
        for (int i = 0; i < 3000; i++) {
            String cam = "192-168-66-" + i;
            String before = Rendezvous.owner(cam, three).orElseThrow();
            assertEquals(before, Rendezvous.owner(cam, List.of("camserver-2", "camserver-0", "camserver-1")).orElseThrow(), "order-free");
            counts.merge(before, 1, Integer::sum);
            String after = Rendezvous.owner(cam, two).orElseThrow();
            if (!after.equals(before)) {
                moved++; // counted from the owners themselves, not from who left
            }
            if (!before.equals("camserver-1")) {
                assertEquals(before, after, "a camera of a surviving replica stays where it is");
            }
        }
        for (int c : counts.values()) {
            assertTrue(c > 850 && c < 1150, "balanced: " + counts);
        }
        assertEquals(counts.get("camserver-1"), moved, "exactly the leaver's cameras moved");
        assertEquals(Optional.empty(), Rendezvous.owner("x", List.of()));
    }
}
