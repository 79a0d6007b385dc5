package io.camserver.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.vision.Box;
import io.camserver.vision.FaceQuality;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One dispatcher: every subscriber gets every event in order, a broken one hurts nobody, a slow reader loses events, counted. */
class DispatcherTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    private static TrackOutcome.Decided decided(String person) {
        return new TrackOutcome.Decided("door", 7, person == null ? null : "p1", person == null ? "unknown" : person, 0.8f, new Box(1, 2, 30, 40), T,
                T, "model", new float[] {1}, new byte[0], new byte[0], new byte[0], "event-1", new FaceQuality(40, 300, 5), false);
    }

    @Test
    void everySubscriberGetsEveryEventInOrderEvenWhenOneFails() {
        Dispatcher d = new Dispatcher();
        List<String> seen = new ArrayList<>();
        d.subscribe(e -> seen.add("history " + e.getClass().getSimpleName()));
        d.subscribe(e -> {
            throw new IllegalStateException("a broken output");
        });
        d.subscribe(e -> seen.add("mqtt " + e.getClass().getSimpleName()));
        d.publish(new CameraEvent.Online("door", T));
        d.publish(decided("Amy"));
        d.publish(new TrackOutcome.Ended("door", 7, T, 0.8f));
        assertEquals(List.of("history Online", "mqtt Online", "history Decided", "mqtt Decided", "history Ended", "mqtt Ended"), seen);
    }

    @Test
    void aSlowReaderLosesEventsCountedAndNobodyWaits() throws Exception {
        Dispatcher d = new Dispatcher();
        try (Dispatcher.Queue q = d.queue(2)) {
            assertEquals(1, d.queueCount());
            for (int i = 0; i < 5; i++) {
                d.publish(new CameraEvent.Offline("cam" + i, T, "refused"));
            }
            assertEquals(3, q.dropped());
            assertEquals(3, d.queueDropped());
            assertEquals("cam0", q.poll(Duration.ofMillis(10)).cameraId(), "the oldest kept");
            assertEquals("cam1", q.poll(Duration.ofMillis(10)).cameraId());
            assertNull(q.poll(Duration.ofMillis(10)));
        }
        assertEquals(0, d.queueCount(), "a closed queue receives nothing more");
    }

    @Test
    void theWireFormIsTheSameForEveryOutputAndATracksEndHasNone() {
        Map<String, Object> face = LivePayload.of(decided("Amy"), id -> "Front door").orElseThrow();
        assertEquals("face", face.get("type"));
        assertEquals("Front door", face.get("cameraName"));
        assertEquals("Amy", face.get("person"));
        assertEquals("event-1", face.get("event"));
        assertInstanceOf(int[].class, face.get("box"));
        assertEquals("camera-offline", LivePayload.of(new CameraEvent.Offline("door", T, "refused"), id -> id).orElseThrow().get("type"));
        assertTrue(LivePayload.of(new TrackOutcome.Ended("door", 7, T, 0.8f), id -> id).isEmpty());
    }
}
