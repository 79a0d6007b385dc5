package io.camserver.gallery;

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
 */
public record Match(Optional<Person> person, float similarity, Optional<Person> nearest, float runnerUp, Reason reason) {
    public static final String UNKNOWN = "unknown";

    public enum Reason {
        /** Over the threshold and clear of the runner-up by the margin. */
        MATCHED,
        /** Nobody reached the threshold. */
        BELOW_THRESHOLD,
        /** Two people both close: refusing to pick is better than flip-flopping. */
        AMBIGUOUS,
        /** The gallery is empty. */
        EMPTY_GALLERY
    }

    public Match {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(nearest, "nearest");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean known() {
        return person.isPresent();
    }

    /** The person's name, or {@value #UNKNOWN}. */
    public String displayName() {
        return person.map(Person::name).orElse(UNKNOWN);
    }

    static Match empty() {
        return new Match(Optional.empty(), 0f, Optional.empty(), 0f, Reason.EMPTY_GALLERY);
    }
}
