package io.camserver.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.gallery.Match;
import io.camserver.gallery.Person;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A track's name by a vote over its recent matches: a strict majority of enough votes, "unknown" a candidate like any name. */
class NameVoteTest {
    static final Person AMY = new Person("p-amy", "amy");
    static final Person RAJ = new Person("p-raj", "raj");

    static Match of(Person p, float s) {
        return new Match(Optional.ofNullable(p), s, Optional.ofNullable(p), 0, p == null ? Match.Reason.BELOW_THRESHOLD : Match.Reason.MATCHED);
    }

    @Test
    void aNameIsDecidedOnceItHasEnoughVotesAndAStrictMajority() {
        NameVote v = new NameVote(2);
        assertTrue(v.add(of(AMY, 0.6f)).isEmpty(), "one vote is not enough");
        NameVote.Decision d = v.add(of(AMY, 0.7f)).orElseThrow();
        assertEquals("amy", d.name());
        assertEquals(0.7f, d.similarity());
        assertTrue(v.add(of(AMY, 0.65f)).isEmpty(), "the same decision is not announced again");
        assertEquals(0.7f, v.decision().orElseThrow().similarity(), "the best similarity is kept");
    }

    @Test
    void aTieDecidesNothingAndAChangedMajorityIsAnnounced() {
        NameVote v = new NameVote(2);
        v.add(of(AMY, 0.6f));
        v.add(of(RAJ, 0.6f));
        assertTrue(v.add(of(null, 0.2f)).isEmpty(), "1:1:1, no majority");
        assertTrue(v.add(of(RAJ, 0.7f)).isEmpty(), "raj 2 of 4 is not a strict majority");
        assertEquals("raj", v.add(of(RAJ, 0.8f)).orElseThrow().name(), "raj 3 of 5");
        for (int i = 0; i < 4; i++) {
            v.add(of(null, 0.1f));
        }
        assertEquals("unknown", v.decision().orElseThrow().name(), "the window moved on: unknown leads 5 of 7");
    }

    @Test
    void moreVotesThanTheWindowHoldsIsRefused() {
        TrackerConfig t = TrackerConfig.DEFAULT;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrackerConfig(t.minIou(), t.maxAge(), t.firstEmbeds(),
                Duration.ofSeconds(1), NameVote.WINDOW + 1, t.maxEmbedsPerFrame()));
        assertEquals("tracker.votesToDecide must be in 1..7, the vote window (was 8)", e.getMessage());
    }
}
