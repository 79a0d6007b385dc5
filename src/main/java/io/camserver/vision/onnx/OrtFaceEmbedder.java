package io.camserver.vision.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.camserver.image.MatScope;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.EmbedderModel;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceEmbedder;
import io.camserver.vision.FlipEmbedding;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * An ONNX face embedder on ONNX Runtime: one aligned face in, one vector out. The
 * session is single-threaded on purpose: parallelism comes from one embedder per analysis
 * worker, and intra-op threads on a 2-core box would only fight those workers.
 */
public final class OrtFaceEmbedder implements FaceEmbedder {
    private final OrtSession session;
    private final String inputName;
    private final EmbedderConfig.Kind kind;
    private final boolean flip;
    private final String modelId;
    private final int side;
    private final float[] input;

    /** Whether a CUDA session was asked for and refused (said once per process: every worker's embedder would say it). */
    private static final java.util.concurrent.atomic.AtomicBoolean CUDA_REFUSED = new java.util.concurrent.atomic.AtomicBoolean();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrtFaceEmbedder.class);

    public OrtFaceEmbedder(EmbedderModel model, EmbedderConfig.Kind kind, boolean flip, String modelId) {
        this(model, kind, flip, modelId, false);
    }

    /** @param cuda run on an NVIDIA GPU through ONNX Runtime's CUDA provider, else (or where there is none) on the CPU */
    public OrtFaceEmbedder(EmbedderModel model, EmbedderConfig.Kind kind, boolean flip, String modelId, boolean cuda) {
        this.kind = kind;
        this.flip = flip;
        this.modelId = modelId;
        this.side = kind.side();
        this.input = new float[3 * side * side];
        try {
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cuda) {
                addCuda(opts);
            }
            this.session = model.isConverted() ? OrtEnvironment.getEnvironment().createSession(model.onnx(), opts)
                    : OrtEnvironment.getEnvironment().createSession(model.origin().toString(), opts);
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            long[] shape = ((TensorInfo) in.getValue().getInfo()).getShape();
            // The batch size may be symbolic (-1): one face is fed at a time.
            if (shape.length != 4 || shape[1] != 3 || shape[2] != side || shape[3] != side) {
                session.close();
                throw new IllegalStateException("embedder model " + model + " takes input " + Arrays.toString(shape)
                        + "; expected [1, 3, " + side + ", " + side + "] for embedder.kind " + kind.id());
            }
            this.inputName = in.getKey();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load embedder model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the CUDA provider, or says once why not and leaves the session on the CPU: the runtime on
     * the class path may be the CPU build (Maven {@code onnxruntime}; the GPU build is
     * {@code onnxruntime_gpu}), or there is no GPU, driver or CUDA library.
     */
    private static void addCuda(OrtSession.SessionOptions opts) {
        try {
            opts.addCUDA(0);
            log.info("embedder.device cuda: ONNX Runtime's CUDA provider is in use (GPU 0)");
        } catch (OrtException | RuntimeException | LinkageError e) {
            if (CUDA_REFUSED.compareAndSet(false, true)) {
                log.warn("embedder.device cuda: no CUDA here ({}); the embedder runs on the CPU", e.getMessage() == null ? e : e.getMessage());
            }
        }
    }

    /** Whether a CUDA session was asked for and could not be had (the embedder then runs on the CPU). */
    public static boolean cudaRefused() {
        return CUDA_REFUSED.get();
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
            s.add(blob.reshape(1, 1)).get(0, 0, input);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input), new long[] {1, 3, side, side});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            Object value = r.get(0).getValue();
            if (value instanceof float[][] out && out.length == 1) {
                return out[0];
            }
            throw new IllegalStateException("embedder " + modelId + " returned " + value.getClass().getSimpleName() + ", expected float[1][N]");
        } catch (OrtException e) {
            throw new IllegalStateException("embedder " + modelId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing embedder " + modelId + ": " + e.getMessage(), e);
        }
    }
}
