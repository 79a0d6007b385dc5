package io.camserver.track;

import io.camserver.gallery.Match;
import io.camserver.gallery.Person;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A track's name, decided by the recent matches of its face rather than by any single frame:
 * one blurred frame must not rename a person. The last {@value #WINDOW} results vote; a name
 * (or "unknown") is decided once it has at least {@code needed} votes and a strict majority.
 */
public final class NameVote {
    /** The matches a decision is taken over: the track's most recent ones. */
    public static final int WINDOW = 7;
    private static final String UNKNOWN_KEY = "";

    private final int needed;
    private final Deque<Match> recent = new ArrayDeque<>();
    private Decision decision;

    public NameVote(int needed) {
        this.needed = needed;
    }

    /** The current decision: a person (empty = unknown) and the best similarity behind it. */
    public record Decision(Optional<Person> person, float similarity) {
        public String name() {
            return person.map(Person::name).orElse(Match.UNKNOWN);
        }

        public boolean sameAs(Decision o) {
            return o != null && person.map(Person::id).equals(o.person.map(Person::id));
        }
    }

    /** Adds a result; returns the decision if it is new or changed, else empty. */
    public Optional<Decision> add(Match m) {
        recent.addLast(m);
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Match> best = new HashMap<>();
        for (Match r : recent) {
            String key = r.person().map(Person::id).orElse(UNKNOWN_KEY);
            counts.merge(key, 1, Integer::sum);
            best.merge(key, r, (a, b) -> b.similarity() > a.similarity() ? b : a);
        }
        String leader = null;
        int top = 0;
        for (var e : counts.entrySet()) {
            if (e.getValue() > top) {
                top = e.getValue();
                leader = e.getKey();
            }
        }
        if (leader == null || top < needed || top * 2 <= recent.size()) {
            return Optional.empty();
        }
        Match b = best.get(leader);
        Decision d = new Decision(b.person(), b.similarity());
        if (d.sameAs(decision)) {
            decision = new Decision(d.person(), Math.max(d.similarity(), decision.similarity()));
            return Optional.empty();
        }
        decision = d;
        return Optional.of(d);
    }

    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }
}
