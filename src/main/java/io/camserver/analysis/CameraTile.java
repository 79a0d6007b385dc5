package io.camserver.analysis;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A camera's latest annotated picture, small, for the mosaic and the Live page's tiles: written
 * by the worker that analysed the frame, read (copied) by the mosaic's thread and tile requests.
 * Its version moves with every new picture, so readers copy it only when it changed.
 */
final class CameraTile {
    /** Widest tile kept: a Live page tile or a single-camera mosaic needs no more. */
    static final int MAX_WIDTH = 640;

    private final Object lock = new Object();
    private Mat tile;
    private long version;

    /** Keeps a copy of {@code annotated}, scaled down to at most {@link #MAX_WIDTH} wide. */
    void update(Mat annotated) {
        Mat small = new Mat();
        double scale = Math.min(1.0, (double) MAX_WIDTH / annotated.cols());
        if (scale < 1.0) {
            Imgproc.resize(annotated, small, new Size(Math.round(annotated.cols() * scale), Math.round(annotated.rows() * scale)), 0, 0,
                    Imgproc.INTER_AREA);
        } else {
            annotated.copyTo(small);
        }
        Mat old;
        synchronized (lock) {
            old = tile;
            tile = small;
            version++;
        }
        if (old != null) {
            old.release();
        }
    }

    long version() {
        synchronized (lock) {
            return version;
        }
    }

    /** A copy of the latest tile (the caller releases it), or null before the first. */
    Mat copy() {
        synchronized (lock) {
            return tile == null ? null : tile.clone();
        }
    }

    void close() {
        synchronized (lock) {
            if (tile != null) {
                tile.release();
                tile = null;
            }
        }
    }
}
