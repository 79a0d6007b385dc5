package io.camserver.ingest;

/** A request field that cannot be used, named, with the reason (the API answers 422 with both). */
public final class InvalidField extends RuntimeException {
    private final String field;

    public InvalidField(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
