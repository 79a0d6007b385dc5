package io.camserver.vision;

import java.util.Objects;
import org.opencv.core.Mat;

/**
 * A face warped onto the embedder's template (112x112 BGR for ArcFace-style models). Owns its
 * native pixels: close it when done. The crop is also what the gallery keeps, so that a new
 * embedding model can re-embed stored samples without the original photos.
 */
public final class AlignedFace implements AutoCloseable {
    private final Mat pixels;
    private final Detection source;

    public AlignedFace(Mat pixels, Detection source) {
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** BGR pixels; valid until {@link #close()}. */
    public Mat pixels() {
        return pixels;
    }

    public Detection source() {
        return source;
    }

    @Override
    public void close() {
        pixels.release();
    }
}
