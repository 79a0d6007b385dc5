package io.camserver.models.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a TensorFlow.js layers model: a {@code weights_manifest.json} naming each tensor
 * (shape, dtype, optional quantisation) and the binary shard(s) holding them back to back in
 * manifest order. Quantised tensors ({@code uint8} or {@code uint16} with {@code scale} and
 * {@code min}) are read as {@code min + scale * q}, as TensorFlow.js does when it loads them.
 */
public final class TfjsWeights {
    /** One named tensor, dequantised to float, row-major in its TensorFlow shape. */
    public record Tensor(String name, int[] shape, float[] values) {
        public int size() {
            return values.length;
        }
    }

    private final Map<String, Tensor> tensors;

    private TfjsWeights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * @param manifest the manifest's JSON bytes
     * @param data     every shard the manifest lists, concatenated in its order
     */
    public static TfjsWeights read(byte[] manifest, byte[] data) {
        JsonNode groups;
        try {
            groups = new ObjectMapper().readTree(manifest);
        } catch (IOException e) {
            throw new IllegalArgumentException("TensorFlow.js weights manifest is not JSON: " + e.getMessage(), e);
        }
        if (groups == null || !groups.isArray()) {
            throw new IllegalArgumentException("TensorFlow.js weights manifest must be a JSON array of weight groups");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                int[] shape = new int[w.path("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").get(i).asInt();
                    count *= shape[i];
                }
                if (count > Integer.MAX_VALUE / 4) {
                    throw new IllegalArgumentException("weight " + name + " has " + count + " values: too many");
                }
                float[] v = new float[(int) count];
                JsonNode q = w.get("quantization");
                String dtype = q != null ? q.path("dtype").asText() : w.path("dtype").asText();
                int bytes = switch (dtype) {
                    case "float32" -> 4;
                    case "uint16" -> 2;
                    case "uint8" -> 1;
                    default -> throw new IllegalArgumentException("weight " + name + ": dtype " + dtype + " is not supported");
                };
                if (in.remaining() < count * bytes) {
                    throw new IllegalArgumentException("weight " + name + " needs " + count * bytes + " bytes at offset " + in.position()
                            + " but the data has " + in.remaining() + " left: shard missing or truncated");
                }
                double scale = q != null ? q.path("scale").asDouble() : 1;
                double min = q != null ? q.path("min").asDouble() : 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (bytes) {
                        case 4 -> in.getFloat();
                        case 2 -> (float) (min + scale * Short.toUnsignedInt(in.getShort()));
                        default -> (float) (min + scale * Byte.toUnsignedInt(in.get()));
                    };
                }
                out.put(name, new Tensor(name, shape, v));
            }
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("the weights data has " + in.remaining() + " bytes the manifest does not describe");
        }
        return new TfjsWeights(out);
    }

    /** The tensor called {@code name}, checked to have {@code shape} (-1 matches any extent). */
    public Tensor get(String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the weights have no tensor " + name);
        }
        boolean ok = t.shape().length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 || shape[i] == t.shape()[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("weight " + name + " has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        }
        return t;
    }

    public int count() {
        return tensors.size();
    }
}
