package io.camserver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Encode once, every viewer takes the newest: a slow viewer skips frames instead of queueing them. */
class BroadcasterTest {
    @Test
    void aSlowViewerGetsTheNewestFrameNotABacklog() throws Exception {
        Broadcaster b = new Broadcaster("test");
        for (int i = 1; i <= 5; i++) {
            b.publish(new byte[] {(byte) i});
        }
        Broadcaster.Published p = b.next(0, Duration.ofMillis(10));
        assertEquals(5, p.seq());
        assertEquals(5, p.jpeg()[0], "the newest, frames 1-4 skipped");
        assertNull(b.next(5, Duration.ofMillis(50)), "nothing newer yet: a timeout, not a stale frame");
    }

    @Test
    void aWaitingViewerWakesOnPublishAndClosingReleasesIt() throws Exception {
        Broadcaster b = new Broadcaster("test");
        Thread publisher = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            b.publish(new byte[] {42});
        });
        assertEquals(42, b.next(0, Duration.ofSeconds(5)).jpeg()[0]);
        publisher.join();
        Thread closer = Thread.ofVirtual().start(b::close);
        assertNull(b.next(1, Duration.ofSeconds(5)), "closed: viewers are released");
        closer.join();
        assertTrue(b.closed());
    }

    @Test
    void viewersAreCountedWhileJoined() {
        Broadcaster b = new Broadcaster("test");
        try (Broadcaster.Viewer v = b.join(); Broadcaster.Viewer w = b.join()) {
            assertEquals(2, b.viewers());
            assertTrue(b.wanted());
        }
        assertEquals(0, b.viewers());
    }
}
