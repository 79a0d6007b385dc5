package io.camserver.gallery;

import java.util.Objects;

/** A person a face might be, and how similar the face is to them (their closest sample). */
public record Scored(Person person, float similarity) {
    public Scored {
        Objects.requireNonNull(person, "person");
    }
}
