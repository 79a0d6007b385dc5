package io.camserver.app;

/** The command line or a setting was wrong; the message says which and how. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
