package io.camserver.vision;

import io.camserver.image.MatScope;
import java.util.function.Function;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * What every embedder does around its model call: check the crop is a 112x112 aligned face, optionally
 * embed the mirrored face too and sum the two raw vectors, normalise. Shared by the inference
 * backends so they differ only in how they run the network.
 */
public final class FlipEmbedding {
    public static final int SIDE = 112;

    private FlipEmbedding() {
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
