package io.camserver.gallery;

import java.util.Objects;

/** Someone the gallery can name. {@code id} is stable across renames; {@code name} is shown. */
public record Person(String id, String name) {
    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("person name must not be blank");
        }
    }
}
