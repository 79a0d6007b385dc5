package io.camserver.vision.opencv;

import io.camserver.image.MatScope;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.EmbedderModel;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceEmbedder;
import io.camserver.vision.FlipEmbedding;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/**
 * Any ArcFace-style ONNX embedder that takes one 112x112 RGB face in NCHW, normalised as its
 * {@link EmbedderConfig.Kind} says, and outputs one vector. With {@code flip} the mirrored face
 * is embedded too and the two raw vectors are summed before normalisation.
 */
final class OnnxFaceEmbedder implements FaceEmbedder {
    private final Net net;
    private final EmbedderConfig.Kind kind;
    private final boolean flip;
    private final String modelId;

    OnnxFaceEmbedder(EmbedderModel model, EmbedderConfig.Kind kind, boolean flip, String modelId) {
        if (model.isConverted()) {
            org.opencv.core.MatOfByte buf = new org.opencv.core.MatOfByte(model.onnx());
            try {
                this.net = Dnn.readNetFromONNX(buf);
            } finally {
                buf.release();
            }
        } else {
            this.net = Dnn.readNetFromONNX(model.origin().toString());
        }
        if (net.empty()) {
            throw new IllegalStateException("OpenCV could not load embedder model " + model);
        }
        this.kind = kind;
        this.flip = flip;
        this.modelId = modelId;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public Embedding embed(AlignedFace face) {
        return FlipEmbedding.embed(face, flip, modelId, this::forward);
    }

    private float[] forward(Mat bgr112) {
        try (MatScope s = new MatScope()) {
            Mat blob = s.add(io.camserver.vision.FaceTemplate.blob(bgr112, kind));
            net.setInput(blob);
            Mat out = s.add(net.forward());
            float[] v = new float[(int) out.total()];
            s.add(out.reshape(1, 1)).get(0, 0, v);
            return v;
        }
    }

    @Override
    public void close() {
        // See BlazeFaceDetector.close(): the Java Net has no explicit release.
    }
}
