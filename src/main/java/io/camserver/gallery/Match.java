package io.camserver.gallery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gallery's answer for one face.
 *
 * @param person     who it is, or empty for unknown
 * @param similarity cosine similarity to the nearest person (shown as confidence even when
 *                   unknown: a near miss and a stranger look different to an operator)
 * @param nearest    the nearest person whether or not the threshold was met
 * @param runnerUp   similarity to the second-nearest person (0 when there is none)
 * @param reason     why the decision came out as it did
 * @param ranked     the people it might be, best first (at most {@link #RANKED}), without those its
 *                   face is closer to a negative example of: what a second face of the same frame
 *                   falls back on when the first takes the best
 * @param ignored    like a face the user chose to ignore (a poster, a television): recorded, never announced
 */
public record Match(Optional<Person> person, float similarity, Optional<Person> nearest, float runnerUp, Reason reason, List<Scored> ranked,
                    boolean ignored) {
    /** How many candidates a match keeps for the one-person-per-frame rule. */
    public static final int RANKED = 3;
    public static final String UNKNOWN = "unknown";

    public enum Reason {
        /** Over the threshold and clear of the runner-up by the margin. */
        MATCHED,
        /** Nobody reached the threshold. */
        BELOW_THRESHOLD,
        /** Two people both close: refusing to pick is better than flip-flopping. */
        AMBIGUOUS,
        /** The gallery is empty. */
        EMPTY_GALLERY,
        /** Another face of the same frame is this person, and a better match. */
        TAKEN
    }

    public Match {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(nearest, "nearest");
        Objects.requireNonNull(reason, "reason");
        ranked = List.copyOf(ranked);
    }

    /** A decision with no candidates kept (tests, and answers built elsewhere). */
    public Match(Optional<Person> person, float similarity, Optional<Person> nearest, float runnerUp, Reason reason) {
        this(person, similarity, nearest, runnerUp, reason, person.map(p -> List.of(new Scored(p, similarity))).orElse(List.of()), false);
    }

    /**
     * The decision over {@code ranked} (best first): the first must reach the threshold and lead the
     * next by the margin.
     */
    static Match decide(List<Scored> ranked, MatchConfig config, boolean ignored) {
        if (ranked.isEmpty()) {
            return new Match(Optional.empty(), 0f, Optional.empty(), 0f, Reason.BELOW_THRESHOLD, ranked, ignored);
        }
        Scored top = ranked.get(0);
        float runnerUp = ranked.size() > 1 ? Math.max(0f, ranked.get(1).similarity()) : 0f;
        Optional<Person> nearest = Optional.of(top.person());
        if (top.similarity() < config.threshold()) {
            return new Match(Optional.empty(), top.similarity(), nearest, runnerUp, Reason.BELOW_THRESHOLD, ranked, ignored);
        }
        if (ranked.size() > 1 && top.similarity() - ranked.get(1).similarity() < config.margin()) {
            return new Match(Optional.empty(), top.similarity(), nearest, runnerUp, Reason.AMBIGUOUS, ranked, ignored);
        }
        return new Match(nearest, top.similarity(), nearest, runnerUp, Reason.MATCHED, ranked, ignored);
    }

    public boolean known() {
        return person.isPresent();
    }

    /** The person's name, or {@value #UNKNOWN}. */
    public String displayName() {
        return person.map(Person::name).orElse(UNKNOWN);
    }

    static Match empty() {
        return new Match(Optional.empty(), 0f, Optional.empty(), 0f, Reason.EMPTY_GALLERY, List.of(), false);
    }
}
