package io.camserver.models.convert;

import java.util.List;

/**
 * Builds dlib's face-recognition ResNet ({@code dlib_face_recognition_resnet_model_v1}: 29
 * convolutions, 150x150 RGB in, 128-d out; the network the seed demo recognised with) as ONNX
 * from the TensorFlow.js weights face-api.js publishes for it ({@code face_recognition_model}).
 * The layer plan is the one face-api.js runs (its {@code FaceRecognitionNet}):
 *
 * <ul>
 * <li>every convolution is followed by a bias and a per-channel scale and shift (dlib's affine
 *     layer, i.e. batch norm frozen): folded here into the convolution's weights and bias, which
 *     is exact arithmetic and saves two passes over every activation;</li>
 * <li>a 7x7 stride-2 convolution and a 3x3 stride-2 max pool, then residual blocks at 32, 64,
 *     128 and 256 channels. A block is conv-relu-conv plus its input, then relu; a down block's
 *     first convolution has stride 2 without padding, and its shortcut is a 2x2 average pool
 *     whose missing channels are zeros; where the two branches differ by a pixel (8x8 input: 3x3
 *     against 4x4) the convolution branch gets a zero row and column at its end, as face-api.js
 *     pads it;</li>
 * <li>the mean over the remaining pixels and a 256x128 fully connected layer.</li>
 * </ul>
 *
 * <p>Input: NCHW RGB, {@code (x - mean) / 255} with mean (122.782, 117.001, 104.298). The output
 * is not normalised; face-api.js compares these vectors by Euclidean distance (0.6 is dlib's
 * own threshold) while camserver normalises and compares by cosine like its other embedders.
 */
public final class DlibResnetToOnnx {
    public static final int SIDE = 150;
    public static final int DIMENSIONS = 128;

    private final TfjsWeights w;
    private final OnnxModel onnx = new OnnxModel();
    private int side = SIDE;
    private int channels = 3;

    private DlibResnetToOnnx(TfjsWeights w) {
        this.w = w;
    }

    /** The ONNX bytes for face-api.js's recognition weights; throws naming a missing or misshapen tensor. */
    public static byte[] convert(byte[] manifest, byte[] weights) {
        return new DlibResnetToOnnx(TfjsWeights.read(manifest, weights)).run();
    }

    private byte[] run() {
        onnx.input("input", -1, 3, SIDE, SIDE);
        String x = conv("input", "conv32_down", 7, 32, 2, true);
        String pooled = onnx.fresh("maxpool");
        onnx.node("MaxPool", List.of(x), List.of(pooled), OnnxModel.Attr.ints("kernel_shape", 3, 3), OnnxModel.Attr.ints("strides", 2, 2));
        side = (side - 3) / 2 + 1;
        x = pooled;
        for (String block : List.of("conv32_1", "conv32_2", "conv32_3")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv64_down", 64);
        for (String block : List.of("conv64_1", "conv64_2", "conv64_3")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv128_down", 128);
        for (String block : List.of("conv128_1", "conv128_2")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv256_down", 256);
        for (String block : List.of("conv256_1", "conv256_2")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv256_down_out", 256);
        String avg = onnx.fresh("mean");
        onnx.node("GlobalAveragePool", List.of(x), List.of(avg));
        String flat = onnx.fresh("flat");
        onnx.node("Flatten", List.of(avg), List.of(flat), OnnxModel.Attr.i("axis", 1));
        TfjsWeights.Tensor fc = w.get("fc", channels, DIMENSIONS);
        onnx.floatConstant("fc", new long[] {channels, DIMENSIONS}, fc.values());
        onnx.node("MatMul", List.of(flat, "fc"), List.of("embeddings"));
        onnx.output("embeddings", -1, DIMENSIONS);
        return onnx.toBytes("camserver dlib-resnet-from-tfjs", "dlib_face_recognition_resnet_model_v1");
    }

    private String residual(String x, String block) {
        String a = conv(x, block + "/conv1", 3, channels, 1, true);
        String b = conv(a, block + "/conv2", 3, channels, 1, false);
        String sum = onnx.fresh(block + "_sum");
        onnx.node("Add", List.of(b, x), List.of(sum));
        String out = onnx.fresh(block + "_relu");
        onnx.node("Relu", List.of(sum), List.of(out));
        return out;
    }

    private String residualDown(String x, String block, int outChannels) {
        int inSide = side;
        int inChannels = channels;
        String a = conv(x, block + "/conv1", 3, outChannels, 2, true);
        int convSide = side;
        String b = conv(a, block + "/conv2", 3, outChannels, 1, false);
        String shortcut = onnx.fresh(block + "_avg");
        onnx.node("AveragePool", List.of(x), List.of(shortcut), OnnxModel.Attr.ints("kernel_shape", 2, 2),
                OnnxModel.Attr.ints("strides", 2, 2));
        int poolSide = inSide / 2;
        if (outChannels != inChannels) {
            shortcut = pad(shortcut, block + "_chpad", new long[] {0, 0, 0, 0, 0, outChannels - inChannels, 0, 0});
        }
        if (poolSide != convSide) {
            if (poolSide < convSide) {
                throw new IllegalStateException(block + ": shortcut " + poolSide + " px smaller than the convolution's " + convSide);
            }
            int extra = poolSide - convSide;
            b = pad(b, block + "_pxpad", new long[] {0, 0, 0, 0, 0, 0, extra, extra});
        }
        side = poolSide;
        String sum = onnx.fresh(block + "_sum");
        onnx.node("Add", List.of(b, shortcut), List.of(sum));
        String out = onnx.fresh(block + "_relu");
        onnx.node("Relu", List.of(sum), List.of(out));
        return out;
    }

    private String pad(String x, String hint, long[] pads) {
        String padsName = onnx.fresh(hint + "_pads");
        onnx.longConstant(padsName, pads);
        String out = onnx.fresh(hint);
        onnx.node("Pad", List.of(x, padsName), List.of(out));
        return out;
    }

    /**
     * One convolution with its bias and affine layer folded in: {@code (conv(x, F) + b) * s + c}
     * is {@code conv(x, F * s) + (b * s + c)}. Stride 1 is TensorFlow's SAME (one pixel each side
     * for 3x3), stride 2 is VALID, as face-api.js runs them.
     */
    private String conv(String x, String prefix, int k, int outChannels, int stride, boolean relu) {
        TfjsWeights.Tensor f = w.get(prefix + "/conv/filters", k, k, channels, outChannels);
        float[] bias = w.get(prefix + "/conv/bias", outChannels).values();
        float[] scale = w.get(prefix + "/scale/weights", outChannels).values();
        float[] shift = w.get(prefix + "/scale/biases", outChannels).values();
        // HWIO (TensorFlow) to OIHW (ONNX), scaled per output channel.
        float[] oihw = new float[f.size()];
        float[] hwio = f.values();
        for (int h = 0; h < k; h++) {
            for (int wx = 0; wx < k; wx++) {
                for (int i = 0; i < channels; i++) {
                    for (int o = 0; o < outChannels; o++) {
                        oihw[((o * channels + i) * k + h) * k + wx] = hwio[((h * k + wx) * channels + i) * outChannels + o] * scale[o];
                    }
                }
            }
        }
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            b[o] = bias[o] * scale[o] + shift[o];
        }
        String wName = onnx.fresh(prefix + "_w");
        String bName = onnx.fresh(prefix + "_b");
        onnx.floatConstant(wName, new long[] {outChannels, channels, k, k}, oihw);
        onnx.floatConstant(bName, new long[] {outChannels}, b);
        long p = stride == 1 ? (k - 1) / 2 : 0;
        String out = onnx.fresh(prefix.replace('/', '_'));
        onnx.node("Conv", List.of(x, wName, bName), List.of(out), OnnxModel.Attr.ints("kernel_shape", k, k),
                OnnxModel.Attr.ints("strides", stride, stride), OnnxModel.Attr.ints("pads", p, p, p, p));
        side = stride == 1 ? side : (side - k) / stride + 1;
        channels = outChannels;
        if (!relu) {
            return out;
        }
        String r = onnx.fresh(prefix.replace('/', '_') + "_relu");
        onnx.node("Relu", List.of(out), List.of(r));
        return r;
    }
}
