package io.camserver.vision;

import org.opencv.core.Mat;

/** Warps a detected face onto the embedder's canonical template. Stateless and thread-safe. */
public interface FaceAligner {
    AlignedFace align(Mat bgr, Detection detection);
}
