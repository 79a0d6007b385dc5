package io.camserver.vision;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The ONNX network an embedder runs: a file as it is, or a model converted at load from another
 * format ({@code onnx} then holds the converted bytes and {@code origin} names the source file
 * for messages).
 */
public record EmbedderModel(Path origin, byte[] onnx) {
    public EmbedderModel {
        Objects.requireNonNull(origin, "origin");
    }

    public static EmbedderModel file(Path onnxFile) {
        return new EmbedderModel(onnxFile, null);
    }

    public static EmbedderModel converted(Path origin, byte[] onnx) {
        return new EmbedderModel(origin, Objects.requireNonNull(onnx, "onnx"));
    }

    public boolean isConverted() {
        return onnx != null;
    }

    @Override
    public String toString() {
        return isConverted() ? origin + " (converted to ONNX, " + onnx.length + " bytes)" : origin.toString();
    }
}
