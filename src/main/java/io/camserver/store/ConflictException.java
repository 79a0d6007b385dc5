package io.camserver.store;

/** A change that contradicts what is stored (a duplicate name, a missing row). */
public final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
