package io.camserver.store;

import java.util.Objects;

/**
 * A name that is already a person's, compared ignoring case and surrounding spaces: people are one
 * per name, so the caller either uses the existing person (adds to them, merges into them) or
 * picks another name. Carries the existing person so a client can offer "add to Maya?".
 */
public final class NameTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient PeopleStore.PersonInfo existing;

    public NameTakenException(PeopleStore.PersonInfo existing) {
        super("a person named '" + existing.name() + "' already exists");
        this.existing = Objects.requireNonNull(existing, "existing");
    }

    public PeopleStore.PersonInfo existing() {
        return existing;
    }
}
