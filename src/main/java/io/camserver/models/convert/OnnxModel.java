package io.camserver.models.convert;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (protobuf, written field by field: the handful of ONNX messages needed
 * here do not justify generated classes). Opset 13, IR version 7: read by ONNX Runtime and by
 * OpenCV's DNN importer.
 */
public final class OnnxModel {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int nextName;

    /** A fresh tensor name for intermediate values the conversion adds. */
    public String fresh(String hint) {
        return hint + "__" + nextName++;
    }

    /** An attribute of a node. */
    public record Attr(String name, long[] ints, Long i) {
        public static Attr ints(String name, long... v) {
            return new Attr(name, v, null);
        }

        public static Attr i(String name, long v) {
            return new Attr(name, null, v);
        }
    }

    public void node(String opType, List<String> in, List<String> out, Attr... attrs) {
        Proto n = new Proto();
        in.forEach(s -> n.string(1, s));
        out.forEach(s -> n.string(2, s));
        n.string(3, out.get(0) + "_" + opType);
        n.string(4, opType);
        for (Attr a : attrs) {
            Proto p = new Proto();
            p.string(1, a.name());
            if (a.i() != null) {
                p.varint(3, a.i());
                p.varint(20, 2); // INT
            } else {
                for (long v : a.ints()) {
                    p.varint(8, v);
                }
                p.varint(20, 7); // INTS
            }
            n.message(5, p);
        }
        nodes.add(n.bytes());
    }

    public void floatConstant(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, FLOAT, raw.array()));
    }

    public void longConstant(String name, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(name, new long[] {values.length}, INT64, raw.array()));
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type);
        t.string(8, name);
        t.bytes(9, raw);
        return t.bytes();
    }

    /** A float graph input or output; a dimension of -1 becomes the symbolic batch size {@code N}. */
    public void input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
    }

    public void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    private static byte[] valueInfo(String name, long[] dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            Proto dim = new Proto();
            if (d < 0) {
                dim.string(2, "N");
            } else {
                dim.varint(1, d);
            }
            shape.message(1, dim);
        }
        Proto tensorType = new Proto();
        tensorType.varint(1, FLOAT);
        tensorType.message(2, shape);
        Proto type = new Proto();
        type.message(1, tensorType);
        Proto vi = new Proto();
        vi.string(1, name);
        vi.message(2, type);
        return vi.bytes();
    }

    public byte[] toBytes(String producer, String graphName) {
        Proto g = new Proto();
        nodes.forEach(n -> g.raw(1, n));
        g.string(2, graphName);
        initializers.forEach(t -> g.raw(5, t));
        inputs.forEach(i -> g.raw(11, i));
        outputs.forEach(o -> g.raw(12, o));
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 13);
        Proto m = new Proto();
        m.varint(1, 7);
        m.string(2, producer);
        m.message(7, g);
        m.message(8, opset);
        return m.bytes();
    }

    /** Protobuf wire format: varints (type 0) and length-delimited fields (type 2). */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long v) {
            raw(field << 3);
            raw(v);
        }

        void bytes(int field, byte[] data) {
            raw(field << 3 | 2);
            raw(data.length);
            out.writeBytes(data);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Proto p) {
            bytes(field, p.bytes());
        }

        void raw(int field, byte[] message) {
            bytes(field, message);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
