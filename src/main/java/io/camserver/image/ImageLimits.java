package io.camserver.image;

/**
 * Bounds checked before any pixel is decoded, so a hostile file (a "PNG bomb" that declares
 * 100000x100000 pixels in a few hundred bytes) is refused from its header alone.
 *
 * @param maxBytes  largest encoded size accepted
 * @param maxPixels largest width*height accepted
 */
public record ImageLimits(long maxBytes, long maxPixels) {
    /** 32 MiB and 40 megapixels: any camera or phone photo, nothing absurd. */
    public static final ImageLimits DEFAULT = new ImageLimits(32L << 20, 40_000_000L);

    public ImageLimits {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("image.maxBytes must be >= 1024 (was " + maxBytes + ")");
        }
        if (maxPixels < 64 * 64) {
            throw new IllegalArgumentException("image.maxPixels must be >= 4096 (was " + maxPixels + ")");
        }
    }
}
