package io.camserver.vision;

import io.camserver.image.MatScope;
import java.util.function.Function;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * What every 112x112 embedder does around its model call: check the crop's size, optionally
 * embed the mirrored face too and sum the two raw vectors, normalise. Shared by the inference
 * backends so they differ only in how they run the network.
 */
public final class FlipEmbedding {
    public static final int SIDE = 112;

    private FlipEmbedding() {
    }

    /**
     * The network input for a 112x112 BGR crop, normalised as the embedder kind says: one native
     * pass does the BGR->RGB swap, the scaling and HWC->CHW. The caller releases the blob.
     */
    public static Mat blob(Mat bgr112, EmbedderConfig.Kind kind) {
        double mean = kind.mean();
        return org.opencv.dnn.Dnn.blobFromImage(bgr112, kind.scale(), new org.opencv.core.Size(SIDE, SIDE),
                new org.opencv.core.Scalar(mean, mean, mean), true, false);
    }

    /** @param forward runs the network on a 112x112 BGR crop and returns its raw output */
    public static Embedding embed(AlignedFace face, boolean flip, String modelId, Function<Mat, float[]> forward) {
        Mat px = face.pixels();
        if (px.cols() != SIDE || px.rows() != SIDE) {
            throw new IllegalArgumentException("embedder " + modelId + " needs a 112x112 aligned face (was " + px.cols() + "x" + px.rows() + ")");
        }
        float[] v = forward.apply(px);
        if (flip) {
            try (MatScope s = new MatScope()) {
                Mat mirrored = s.mat();
                Core.flip(px, mirrored, 1);
                float[] f = forward.apply(mirrored);
                for (int i = 0; i < v.length; i++) {
                    v[i] += f[i];
                }
            }
        }
        return Embedding.normalized(v, modelId);
    }
}
