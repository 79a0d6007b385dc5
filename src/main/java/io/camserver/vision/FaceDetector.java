package io.camserver.vision;

import java.util.List;
import org.opencv.core.Mat;

/**
 * Finds faces in a BGR frame. Implementations hold a native network and are not thread-safe:
 * each analysis worker owns its own instance.
 */
public interface FaceDetector extends AutoCloseable {
    /** Faces sorted by descending score, boxes and points in the frame's pixels. */
    List<Detection> detect(Mat bgr);

    /** A short name for logs and metrics, e.g. {@code blazeface-full}. */
    String name();

    @Override
    void close();
}
