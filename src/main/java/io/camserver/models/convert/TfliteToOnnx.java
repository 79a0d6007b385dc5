package io.camserver.models.convert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a float TensorFlow Lite convolutional network to ONNX, for the operator set of the
 * face embedders we ship (MobileFaceNet: CONV_2D, DEPTHWISE_CONV_2D, ADD, SUB, MUL, RELU, ABS and
 * a final RESHAPE; its PReLU is spelled relu(x) + alpha * (x - |x|) / 2). OpenCV 4.9's own TFLite
 * importer stops at ABS, which is why this exists. Anything else is refused by name, so a model
 * this does not understand fails at load instead of giving wrong vectors.
 *
 * <p>Layout: TFLite is NHWC, ONNX's Conv NCHW. The ONNX model takes the input as NCHW (the same
 * layout as our other embedders, so the same input blob feeds both); every activation stays
 * NCHW, weights are transposed (OHWI to OIHW; depthwise 1HW(C*m) to (C*m)1HW with one group per
 * input channel) and per-channel constants become Cx1x1 so they broadcast over H and W. TFLite's
 * SAME padding puts the odd pixel after, which explicit ONNX pads reproduce from the known shapes.
 */
public final class TfliteToOnnx {
    static final int ADD = 0;
    static final int CONV_2D = 3;
    static final int DEPTHWISE_CONV_2D = 4;
    static final int MUL = 18;
    static final int RELU = 19;
    static final int RELU6 = 21;
    static final int RESHAPE = 22;
    static final int SUB = 41;
    static final int ABS = 101;

    private final Tflite model;
    private final OnnxModel onnx = new OnnxModel();
    /** TFLite tensor index to the ONNX name holding its value (constants are added when first used). */
    private final Map<Integer, String> names = new HashMap<>();

    private TfliteToOnnx(Tflite model) {
        this.model = model;
    }

    /** The ONNX bytes for a TFLite file's bytes; throws naming the first operator it cannot convert. */
    public static byte[] convert(byte[] tflite, String graphName) {
        return new TfliteToOnnx(Tflite.read(tflite)).run(graphName);
    }

    private byte[] run(String graphName) {
        if (model.inputs.length != 1 || model.outputs.length != 1) {
            throw new UnsupportedOperationException("expected one input and one output, found " + model.inputs.length + " and "
                    + model.outputs.length);
        }
        Tflite.Tensor in = model.tensors.get(model.inputs[0]);
        if (in.shape().length != 4 || in.type() != Tflite.Tensor.FLOAT32) {
            throw new UnsupportedOperationException("input " + in.name() + " must be a float NHWC tensor, is " + describe(in));
        }
        int[] s = in.shape();
        onnx.input("input", -1, s[3], s[1], s[2]);
        names.put(in.index(), "input");
        for (Tflite.Operator op : model.operators) {
            convert(op);
        }
        Tflite.Tensor out = model.tensors.get(model.outputs[0]);
        long[] dims = new long[out.shape().length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i == 0 ? -1 : out.shape()[i];
        }
        onnx.node("Identity", List.of(value(out)), List.of("embeddings"));
        onnx.output("embeddings", dims);
        return onnx.toBytes("camserver tflite-to-onnx", graphName);
    }

    private void convert(Tflite.Operator op) {
        Tflite.Tensor out = model.tensors.get(op.outputs()[0]);
        String result = onnx.fresh("t" + out.index());
        switch (op.code()) {
            case CONV_2D -> conv(op, result, false);
            case DEPTHWISE_CONV_2D -> conv(op, result, true);
            case ADD -> binary("Add", op, result, 0);
            case SUB -> binary("Sub", op, result, 0);
            case MUL -> binary("Mul", op, result, 0);
            case RELU -> onnx.node("Relu", List.of(value(input(op, 0))), List.of(result));
            case ABS -> onnx.node("Abs", List.of(value(input(op, 0))), List.of(result));
            case RESHAPE -> reshape(op, result);
            default -> throw new UnsupportedOperationException("operator " + op.index() + " (" + out.name() + "): TFLite builtin "
                    + op.code() + " is not supported by this converter");
        }
        names.put(out.index(), result);
    }

    private Tflite.Tensor input(Tflite.Operator op, int i) {
        if (i >= op.inputs().length || op.inputs()[i] < 0) {
            throw new UnsupportedOperationException("operator " + op.index() + " lacks input " + i);
        }
        return model.tensors.get(op.inputs()[i]);
    }

    /** The ONNX name of a tensor's value: an activation already computed, or a constant added now in NCHW terms. */
    private String value(Tflite.Tensor t) {
        String n = names.get(t.index());
        if (n != null) {
            return n;
        }
        if (!t.constant()) {
            throw new UnsupportedOperationException("tensor " + t.name() + " is used before it is computed");
        }
        String name = onnx.fresh("c" + t.index());
        int[] s = t.shape();
        float[] v = t.floats();
        if (s.length == 0 || s.length == 1 && s[0] == 1) {
            onnx.floatConstant(name, new long[0], new float[] {v[0]});
        } else if (s.length == 1) {
            onnx.floatConstant(name, new long[] {s[0], 1, 1}, v);
        } else if (s.length == 4) {
            onnx.floatConstant(name, new long[] {s[0], s[3], s[1], s[2]}, nhwcToNchw(v, s));
        } else {
            throw new UnsupportedOperationException("constant " + t.name() + " of shape " + java.util.Arrays.toString(s));
        }
        names.put(t.index(), name);
        return name;
    }

    private static float[] nhwcToNchw(float[] v, int[] s) {
        int n = s[0];
        int h = s[1];
        int w = s[2];
        int c = s[3];
        float[] out = new float[v.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[((b * c + ch) * h + y) * w + x] = v[((b * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return out;
    }

    private void binary(String opType, Tflite.Operator op, String result, int fusedField) {
        String a = value(input(op, 0));
        String b = value(input(op, 1));
        int act = op.options() == null ? 0 : op.options().i8(fusedField, 0);
        activation(opType, List.of(a, b), result, act, op);
    }

    /** Adds the op, then its fused activation (NONE, RELU or RELU6). */
    private void activation(String opType, List<String> inputs, String result, int act, Tflite.Operator op, OnnxModel.Attr... attrs) {
        if (act == 0) {
            onnx.node(opType, inputs, List.of(result), attrs);
            return;
        }
        String raw = onnx.fresh("pre");
        onnx.node(opType, inputs, List.of(raw), attrs);
        switch (act) {
            case 1 -> onnx.node("Relu", List.of(raw), List.of(result));
            case 3 -> {
                String lo = onnx.fresh("zero");
                String hi = onnx.fresh("six");
                onnx.floatConstant(lo, new long[0], new float[] {0f});
                onnx.floatConstant(hi, new long[0], new float[] {6f});
                onnx.node("Clip", List.of(raw, lo, hi), List.of(result));
            }
            default -> throw new UnsupportedOperationException("operator " + op.index() + ": fused activation " + act + " is not supported");
        }
    }

    private void conv(Tflite.Operator op, String result, boolean depthwise) {
        Tflite.Tensor x = input(op, 0);
        Tflite.Tensor w = input(op, 1);
        Tflite.Tensor out = model.tensors.get(op.outputs()[0]);
        var o = op.options();
        // Conv2DOptions: padding, stride_w, stride_h, activation, dilation_w, dilation_h.
        // DepthwiseConv2DOptions: padding, stride_w, stride_h, depth_multiplier, activation, dilation_w, dilation_h.
        int padding = o == null ? 0 : o.i8(0, 0);
        int sw = o == null ? 1 : o.i32(1, 1);
        int sh = o == null ? 1 : o.i32(2, 1);
        int act = o == null ? 0 : o.i8(depthwise ? 4 : 3, 0);
        int dw = o == null ? 1 : o.i32(depthwise ? 5 : 4, 1);
        int dh = o == null ? 1 : o.i32(depthwise ? 6 : 5, 1);
        int[] ws = w.shape();
        int kh = ws[1];
        int kw = ws[2];
        float[] wv = w.floats();
        String wName = onnx.fresh("w" + w.index());
        int group;
        if (depthwise) {
            // [1, kh, kw, C*m] -> [C*m, 1, kh, kw]
            int cm = ws[3];
            float[] t = new float[wv.length];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < cm; c++) {
                        t[(c * kh + y) * kw + xx] = wv[(y * kw + xx) * cm + c];
                    }
                }
            }
            onnx.floatConstant(wName, new long[] {cm, 1, kh, kw}, t);
            group = x.shape()[3];
        } else {
            // [O, kh, kw, I] -> [O, I, kh, kw]
            int oc = ws[0];
            int ic = ws[3];
            float[] t = new float[wv.length];
            for (int k = 0; k < oc; k++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        for (int c = 0; c < ic; c++) {
                            t[((k * ic + c) * kh + y) * kw + xx] = wv[((k * kh + y) * kw + xx) * ic + c];
                        }
                    }
                }
            }
            onnx.floatConstant(wName, new long[] {oc, ic, kh, kw}, t);
            group = 1;
        }
        List<String> inputs = new ArrayList<>(List.of(value(x), wName));
        if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
            Tflite.Tensor b = input(op, 2);
            String bName = onnx.fresh("b" + b.index());
            onnx.floatConstant(bName, new long[] {b.shape()[0]}, b.floats());
            inputs.add(bName);
        }
        long[] pads = {0, 0, 0, 0};
        if (padding == 0) { // SAME: as TensorFlow, the odd pixel of padding goes after
            int ph = samePad(x.shape()[1], out.shape()[1], sh, (kh - 1) * dh + 1);
            int pw = samePad(x.shape()[2], out.shape()[2], sw, (kw - 1) * dw + 1);
            pads = new long[] {ph / 2, pw / 2, ph - ph / 2, pw - pw / 2};
        }
        activation("Conv", inputs, result, act, op, OnnxModel.Attr.ints("kernel_shape", kh, kw), OnnxModel.Attr.ints("strides", sh, sw),
                OnnxModel.Attr.ints("dilations", dh, dw), OnnxModel.Attr.ints("pads", pads), OnnxModel.Attr.i("group", group));
    }

    private static int samePad(int in, int out, int stride, int extent) {
        return Math.max(0, (out - 1) * stride + extent - in);
    }

    /**
     * Only the reshape that ends an embedder: [N, 1, 1, C] to [N, C], the same bytes in NHWC and
     * NCHW. A reshape that moves data between H, W and C would need transposes and is refused.
     */
    private void reshape(Tflite.Operator op, String result) {
        Tflite.Tensor x = input(op, 0);
        Tflite.Tensor out = model.tensors.get(op.outputs()[0]);
        int[] s = x.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != 1 || out.shape().length != 2 || out.shape()[1] != s[3]) {
            throw new UnsupportedOperationException("operator " + op.index() + ": only the [N,1,1,C] -> [N,C] reshape is supported, not "
                    + describe(x) + " -> " + describe(out));
        }
        String shape = onnx.fresh("shape");
        onnx.longConstant(shape, new long[] {-1, s[3]});
        onnx.node("Reshape", List.of(value(x), shape), List.of(result));
    }

    private static String describe(Tflite.Tensor t) {
        return t.name() + java.util.Arrays.toString(t.shape()) + " type " + t.type();
    }
}
