package io.camserver.image;

/** Input that is not a usable image. The message is the reason, fit to show a user as is. */
public final class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String reason) {
        super(reason);
    }
}
