package io.camserver.vision;

import java.util.List;
import org.opencv.core.Mat;

/**
 * Finds faces in a BGR frame. Implementations hold a native network and are not thread-safe:
 * each analysis worker owns its own instance.
 */
public interface FaceDetector extends AutoCloseable {
    /** Faces sorted by descending score, boxes and points in the frame's pixels. */
    default List<Detection> detect(Mat bgr) {
        return detect(bgr, 1);
    }

    /**
     * Faces in a frame that was decoded at 1/{@code reduction} of its size (see
     * {@link #reduction}): boxes, points and {@code detector.minFaceSize} are in the full frame's
     * pixels, so what follows (tracking, alignment on the full frame) does not see the reduction.
     */
    List<Detection> detect(Mat reduced, int reduction);

    /**
     * The largest of 1, 2, 4 and 8 by which a {@code width} x {@code height} frame can be reduced
     * before this detector would see less than its network's input holds: the network shrinks the
     * frame to its input anyway, so decoding more pixels than that buys nothing.
     */
    default int reduction(int width, int height) {
        return 1;
    }

    /** A short name for logs and metrics, e.g. {@code blazeface-full}. */
    String name();

    @Override
    void close();
}
