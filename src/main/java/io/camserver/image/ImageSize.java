package io.camserver.image;

/** Width and height an image's header declares, in pixels. */
public record ImageSize(int width, int height) {
}
