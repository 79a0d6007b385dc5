package io.camserver.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.gallery.Match;
import io.camserver.gallery.Person;
import io.camserver.vision.Box;
import io.camserver.vision.Detection;
import io.camserver.vision.Landmarks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Faces followed across frames: overlap keeps a track, a skipped frame's jump is bridged, a face gone too long ends. */
class FaceTrackerTest {
    static Detection at(float x, float y, float size) {
        return new Detection(new Box(x, y, size, size), 0.9f, new Landmarks(new float[Landmarks.COUNT * 2]));
    }

    static final long MS = 1_000_000L;

    @Test
    void aMovingFaceKeepsItsTrackAndANewFaceStartsOne() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        FaceTracker.Update u1 = t.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH);
        assertTrue(u1.faces().get(0).isNew());
        long id = u1.faces().get(0).track().id();
        FaceTracker.Update u2 = t.update(List.of(at(110, 104, 80), at(400, 100, 80)), 100 * MS, Instant.EPOCH);
        assertEquals(id, u2.faces().get(0).track().id(), "overlapping box: same track");
        assertTrue(u2.faces().get(1).isNew());
        assertNotEquals(id, u2.faces().get(1).track().id());
    }

    @Test
    void aJumpAfterASkippedFrameIsBridgedByTheCentreFallback() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        long id = t.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        // IoU 0 (moved 70% of its size), centre within half a face: the same person, frames were skipped.
        FaceTracker.Update u = t.update(List.of(at(138, 100, 80)), 300 * MS, Instant.EPOCH);
        assertEquals(id, u.faces().get(0).track().id());
    }

    @Test
    void aFaceUnseenForMaxAgeEndsItsTrack() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        long id = t.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        assertTrue(t.update(List.of(), 1000 * MS, Instant.EPOCH).ended().isEmpty(), "1 s: still within maxAge (1.5 s)");
        FaceTracker.Update u = t.update(List.of(), 1600 * MS, Instant.EPOCH);
        assertEquals(1, u.ended().size());
        assertEquals(id, u.ended().get(0).id());
        assertTrue(t.update(List.of(at(100, 100, 80)), 1700 * MS, Instant.EPOCH).faces().get(0).isNew(), "back: a new track");
    }

    @Test
    void newTracksAreEmbeddedFirstAndAtMostMaxEmbedsPerFrame() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        List<Detection> six = List.of(at(0, 0, 50), at(100, 0, 50), at(200, 0, 50), at(300, 0, 50), at(400, 0, 50), at(500, 0, 50));
        FaceTracker.Update u = t.update(six, 0, Instant.EPOCH);
        assertEquals(TrackerConfig.DEFAULT.maxEmbedsPerFrame(), t.toEmbed(u.faces(), 0, false).size());
    }

    @Test
    void aFaceHeldThroughAStillSceneKeepsItsTrackPastMaxAge() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        long id = t.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        for (long ms = 100; ms <= 5000; ms += 100) {
            List<Track> held = t.hold(ms * MS, Instant.EPOCH);
            assertEquals(1, held.size(), "held at " + ms + " ms");
            assertEquals(id, held.get(0).id());
        }
        FaceTracker.Update u = t.update(List.of(at(101, 100, 80)), 5100 * MS, Instant.EPOCH);
        assertTrue(u.ended().isEmpty(), "the re-check finds the same face: nothing ended");
        assertEquals(id, u.faces().get(0).track().id());
    }

    @Test
    void aFaceTheLastRecheckMissedIsNotHeldAndEnds() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        long id = t.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        t.update(List.of(), 1000 * MS, Instant.EPOCH);
        for (long ms = 1100; ms <= 2000; ms += 100) {
            assertTrue(t.hold(ms * MS, Instant.EPOCH).isEmpty(), "a face the detector no longer sees is not drawn at " + ms + " ms");
        }
        FaceTracker.Update u = t.update(List.of(), 2100 * MS, Instant.EPOCH);
        assertEquals(1, u.ended().size(), "gone for longer than maxAge");
        assertEquals(id, u.ended().get(0).id());
        assertFalse(t.tracking());
    }

    @Test
    void inAStillSceneOnlyUndecidedFacesAreEmbeddedAgain() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        FaceTracker.Update u = t.update(List.of(at(0, 0, 80), at(300, 0, 80)), 0, Instant.EPOCH);
        assertTrue(t.warmingUp());
        Track decided = u.faces().get(0).track();
        Track undecided = u.faces().get(1).track();
        Person amy = new Person("p1", "amy");
        for (int i = 0; i < TrackerConfig.DEFAULT.firstEmbeds(); i++) {
            decided.embedded(i * MS, 0.8f, new float[] {1, 0});
            decided.vote().add(new Match(Optional.of(amy), 0.8f, Optional.of(amy), 0.1f,
                    Match.Reason.MATCHED));
            undecided.embedded(i * MS, 0.1f, new float[] {0, 1});
        }
        assertTrue(decided.vote().decision().isPresent());
        assertFalse(t.warmingUp());
        long later = 2000 * MS;
        FaceTracker.Update still = t.update(List.of(at(0, 0, 80), at(300, 0, 80)), later, Instant.EPOCH);
        assertEquals(List.of(undecided.id()), t.toEmbed(still.faces(), later, true).stream().map(a -> a.track().id()).toList());
        assertEquals(2, t.toEmbed(still.faces(), later, false).size(), "when the scene moves, both are refreshed");
    }

    @Test
    void aTrackDecidedOnItsSecondEmbeddingIsNotEmbeddedAThirdTimeRightAway() {
        FaceTracker t = new FaceTracker(TrackerConfig.DEFAULT);
        FaceTracker.Update u = t.update(List.of(at(0, 0, 80)), 0, Instant.EPOCH);
        Track track = u.faces().get(0).track();
        Person amy = new Person("p1", "amy");
        for (int i = 0; i < TrackerConfig.DEFAULT.votesToDecide(); i++) {
            assertEquals(1, t.toEmbed(t.update(List.of(at(0, 0, 80)), i * 100 * MS, Instant.EPOCH).faces(), i * 100 * MS, false).size(),
                    "undecided: embedded on its first frames");
            track.embedded(i * 100 * MS, 0.8f, new float[] {1, 0});
            track.vote().add(new Match(Optional.of(amy), 0.8f, Optional.of(amy), 0.1f, Match.Reason.MATCHED));
        }
        assertTrue(track.vote().decision().isPresent());
        assertTrue(track.embeds() < TrackerConfig.DEFAULT.firstEmbeds(), "decided before its first embeddings ran out");
        long next = 300 * MS;
        assertEquals(List.of(), t.toEmbed(t.update(List.of(at(0, 0, 80)), next, Instant.EPOCH).faces(), next, false),
                "decided: the next embedding is the refresh, a second after the last");
        assertFalse(t.warmingUp(), "a decided track does not hold a still scene's detector awake");
        long refresh = 100 * MS + TrackerConfig.DEFAULT.refresh().toNanos();
        assertEquals(1, t.toEmbed(t.update(List.of(at(0, 0, 80)), refresh, Instant.EPOCH).faces(), refresh, false).size());
    }

    @Test
    void theReachOfATrackGrowsWithTheTimeSinceItWasSeen() {
        // 64 px of an 80 px face (0.8 of a face, IoU 0.11): at 10 analysed fps a new face, at 4 fps the same one moved.
        FaceTracker fast = new FaceTracker(TrackerConfig.DEFAULT);
        long id = fast.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        FaceTracker.Update u = fast.update(List.of(at(164, 100, 80)), 100 * MS, Instant.EPOCH);
        assertTrue(u.faces().get(0).isNew(), "100 ms: too far for half a face");
        FaceTracker slow = new FaceTracker(TrackerConfig.DEFAULT);
        long slowId = slow.update(List.of(at(100, 100, 80)), 0, Instant.EPOCH).faces().get(0).track().id();
        assertEquals(slowId, slow.update(List.of(at(164, 100, 80)), 250 * MS, Instant.EPOCH).faces().get(0).track().id(),
                "250 ms: within 1.25 faces");
        assertTrue(slow.update(List.of(at(164 + 160, 100, 80)), 1000 * MS, Instant.EPOCH).faces().get(0).isNew(),
                "two faces away is another face however long it took");
        assertNotEquals(id, u.faces().get(0).track().id());
        assertEquals(0.5, FaceTracker.reach(50 * MS));
        assertEquals(1.5, FaceTracker.reach(2000 * MS));
    }
}
