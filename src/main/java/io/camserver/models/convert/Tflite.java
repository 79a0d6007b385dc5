package io.camserver.models.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a conversion needs from a TensorFlow Lite model: its first subgraph's tensors
 * (shape, type, constant data) and operators (builtin code, inputs, outputs, options). A TFLite
 * file is a FlatBuffer; this walks it directly (tables reach their fields through a vtable of
 * 16-bit offsets, vectors are a 32-bit length then elements), with every offset bounds-checked so
 * a corrupt file fails with a message instead of reading outside the buffer.
 */
public final class Tflite {
    /** A tensor: NHWC shape for activations, constant data (little-endian) when it is a weight. */
    public record Tensor(int index, String name, int[] shape, int type, byte[] data) {
        public static final int FLOAT32 = 0;
        public static final int INT32 = 2;

        public boolean constant() {
            return data != null && data.length > 0;
        }

        public float[] floats() {
            if (type != FLOAT32 || !constant()) {
                throw new IllegalStateException("tensor " + name + " is not a constant float tensor (type " + type + ")");
            }
            float[] f = new float[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }

        public int[] ints() {
            if (type != INT32 || !constant()) {
                throw new IllegalStateException("tensor " + name + " is not a constant int32 tensor (type " + type + ")");
            }
            int[] v = new int[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
            return v;
        }
    }

    /** An operator: builtin code (TFLite's BuiltinOperator), tensor indexes (-1: absent), options table. */
    public record Operator(int index, int code, int[] inputs, int[] outputs, Table options) {
    }

    public final List<Tensor> tensors;
    public final List<Operator> operators;
    public final int[] inputs;
    public final int[] outputs;

    private Tflite(List<Tensor> tensors, List<Operator> operators, int[] inputs, int[] outputs) {
        this.tensors = tensors;
        this.operators = operators;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public static Tflite read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 8 || file[4] != 'T' || file[5] != 'F' || file[6] != 'L' || file[7] != '3') {
            throw new IllegalArgumentException("not a TensorFlow Lite model (no TFL3 identifier)");
        }
        Table model = new Table(b, ref(b, 0));
        int[] codes = model.tables(1).stream().mapToInt(oc -> Math.max(oc.i8(0, 0), oc.i32(3, 0))).toArray();
        List<Table> buffers = model.tables(4);
        List<Table> subgraphs = model.tables(2);
        if (subgraphs.isEmpty()) {
            throw new IllegalArgumentException("TFLite model has no subgraph");
        }
        Table g = subgraphs.get(0);
        List<Tensor> tensors = new ArrayList<>();
        List<Table> tt = g.tables(0);
        for (int i = 0; i < tt.size(); i++) {
            Table t = tt.get(i);
            int buffer = t.i32(2, 0);
            if (buffer < 0 || buffer >= Math.max(1, buffers.size())) {
                throw new IllegalArgumentException("tensor " + i + " names buffer " + buffer + " of " + buffers.size());
            }
            byte[] data = buffers.isEmpty() ? null : buffers.get(buffer).bytes(0);
            tensors.add(new Tensor(i, t.string(3), t.ints(0), t.i8(1, 0), data));
        }
        List<Operator> ops = new ArrayList<>();
        List<Table> ot = g.tables(3);
        for (int i = 0; i < ot.size(); i++) {
            Table o = ot.get(i);
            int opcode = o.i32(0, 0);
            if (opcode < 0 || opcode >= codes.length) {
                throw new IllegalArgumentException("operator " + i + " uses opcode index " + opcode + " of " + codes.length);
            }
            ops.add(new Operator(i, codes[opcode], o.ints(1), o.ints(2), o.table(4)));
        }
        return new Tflite(List.copyOf(tensors), List.copyOf(ops), g.ints(1), g.ints(2));
    }

    private static int ref(ByteBuffer b, int at) {
        check(b, at, 4);
        return at + b.getInt(at);
    }

    private static void check(ByteBuffer b, int at, int len) {
        if (at < 0 || len < 0 || (long) at + len > b.capacity()) {
            throw new IllegalArgumentException("corrupt TFLite model: offset " + at + " (+" + len + ") outside its " + b.capacity() + " bytes");
        }
    }

    /** A FlatBuffer table: fields by index, absent ones give the schema's default. */
    public static final class Table {
        private final ByteBuffer b;
        private final int at;
        private final int vtable;
        private final int vlen;

        Table(ByteBuffer b, int at) {
            check(b, at, 4);
            this.b = b;
            this.at = at;
            this.vtable = at - b.getInt(at);
            check(b, vtable, 4);
            this.vlen = Short.toUnsignedInt(b.getShort(vtable));
            check(b, vtable, vlen);
        }

        private int field(int i) {
            int slot = 4 + 2 * i;
            if (slot + 2 > vlen) {
                return 0;
            }
            int off = Short.toUnsignedInt(b.getShort(vtable + slot));
            return off == 0 ? 0 : at + off;
        }

        public int i8(int i, int dflt) {
            int f = field(i);
            if (f == 0) {
                return dflt;
            }
            check(b, f, 1);
            return b.get(f);
        }

        public int i32(int i, int dflt) {
            int f = field(i);
            if (f == 0) {
                return dflt;
            }
            check(b, f, 4);
            return b.getInt(f);
        }

        /** Start and length of a vector field, or null when absent. */
        private int[] vector(int i, int elementSize) {
            int f = field(i);
            if (f == 0) {
                return null;
            }
            int v = ref(b, f);
            check(b, v, 4);
            int n = b.getInt(v);
            if (n < 0) {
                throw new IllegalArgumentException("corrupt TFLite model: vector of " + n + " elements");
            }
            check(b, v + 4, (int) Math.min(Integer.MAX_VALUE, (long) n * elementSize));
            return new int[] {v + 4, n};
        }

        public int[] ints(int i) {
            int[] v = vector(i, 4);
            if (v == null) {
                return new int[0];
            }
            int[] out = new int[v[1]];
            for (int k = 0; k < out.length; k++) {
                out[k] = b.getInt(v[0] + 4 * k);
            }
            return out;
        }

        public byte[] bytes(int i) {
            int[] v = vector(i, 1);
            if (v == null) {
                return null;
            }
            byte[] out = new byte[v[1]];
            b.get(v[0], out);
            return out;
        }

        public String string(int i) {
            byte[] s = bytes(i);
            return s == null ? "" : new String(s, java.nio.charset.StandardCharsets.UTF_8);
        }

        public Table table(int i) {
            int f = field(i);
            return f == 0 ? null : new Table(b, ref(b, f));
        }

        public List<Table> tables(int i) {
            int[] v = vector(i, 4);
            List<Table> out = new ArrayList<>();
            if (v != null) {
                for (int k = 0; k < v[1]; k++) {
                    out.add(new Table(b, ref(b, v[0] + 4 * k)));
                }
            }
            return out;
        }
    }
}
