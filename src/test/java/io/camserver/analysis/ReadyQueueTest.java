package io.camserver.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cameras that just showed faces go first, an empty one waits at most three turns, equals are served in turn. */
class ReadyQueueTest {
    private static final Set<String> WITH_FACES = Set.of("door", "till", "hall");

    private static List<String> drain(ReadyQueue<String> q, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = q.poll(10, TimeUnit.MILLISECONDS);
            out.add(c);
            q.offer(c); // analysed, and a new frame is already waiting: queued again
        }
        return out;
    }

    @Test
    void camerasWithFacesGoFirstButAnEmptyOneIsNotStarved() throws InterruptedException {
        ReadyQueue<String> q = new ReadyQueue<>(WITH_FACES::contains);
        q.offer("corridor");
        q.offer("door");
        q.offer("till");
        q.offer("hall");
        assertEquals(List.of("door", "till", "hall", "corridor", "door", "till", "hall", "corridor"), drain(q, 8));
    }

    @Test
    void equalCamerasTakeTurns() throws InterruptedException {
        ReadyQueue<String> q = new ReadyQueue<>(c -> false);
        q.offer("a");
        q.offer("b");
        q.offer("c");
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), drain(q, 6));
        assertEquals(3, q.size());
    }

    @Test
    void anEmptyQueueWaitsThenAnswersNull() throws InterruptedException {
        assertNull(new ReadyQueue<String>(c -> true).poll(20, TimeUnit.MILLISECONDS));
    }
}
