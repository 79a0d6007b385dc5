package io.camserver.image;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Releases every registered {@link Mat} when closed, newest first. OpenCV's Java {@code Mat}
 * frees native memory only in its finalizer; with frames arriving at 10+ fps per camera that is
 * far too late, so every temporary is released here deterministically.
 */
public final class MatScope implements AutoCloseable {
    private final List<Mat> mats = new ArrayList<>();

    public <M extends Mat> M add(M mat) {
        mats.add(mat);
        return mat;
    }

    public Mat mat() {
        return add(new Mat());
    }

    @Override
    public void close() {
        for (int i = mats.size() - 1; i >= 0; i--) {
            mats.get(i).release();
        }
        mats.clear();
    }
}
