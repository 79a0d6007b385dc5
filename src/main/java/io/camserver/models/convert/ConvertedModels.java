package io.camserver.models.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models converted to ONNX once (TFLite files; TensorFlow.js weights) and kept beside the source file, so a start reads the
 * converted network instead of converting again. The cached file's name carries the source's
 * hash and the converter's version (a new model or a changed converter never reads an old
 * conversion), and a {@code .sha256} beside it holds the converted bytes' hash, checked at each
 * read (a truncated or altered file is converted again). Where the models folder cannot be
 * written (a read-only image), the conversion is used from memory and that is logged once per start.
 */
public final class ConvertedModels {
    private static final Logger log = LoggerFactory.getLogger(ConvertedModels.class);
    /** Raise when the converter's output changes for the same input: old cache files are then ignored. */
    static final int CONVERTER_VERSION = 1;

    private ConvertedModels() {
    }

    /** Where {@code source}'s conversion is kept; {@code sourceHash} is the source bytes' SHA-256 in hex. */
    public static Path cacheFile(Path source, String sourceHash) {
        return source.resolveSibling(source.getFileName() + "." + sourceHash.substring(0, 16) + ".v" + CONVERTER_VERSION + ".onnx");
    }

    /** The ONNX bytes for {@code tflite}: from the cache when it holds an intact conversion, else converted now (and cached). */
    public static byte[] onnx(Path tflite) throws IOException {
        byte[] source = Files.readAllBytes(tflite);
        return cached(tflite, source, () -> TfliteToOnnx.convert(source, tflite.getFileName().toString()));
    }

    /**
     * dlib's ResNet built from face-api.js's TensorFlow.js weights ({@code weights} and the
     * manifest beside it), cached beside the weights like a TFLite conversion.
     */
    public static byte[] dlibResnet(Path manifest, Path weights) throws IOException {
        byte[] m = Files.readAllBytes(manifest);
        byte[] w = Files.readAllBytes(weights);
        byte[] both = new byte[m.length + w.length];
        System.arraycopy(m, 0, both, 0, m.length);
        System.arraycopy(w, 0, both, m.length, w.length);
        return cached(weights, both, () -> DlibResnetToOnnx.convert(m, w));
    }

    private static byte[] cached(Path origin, byte[] source, java.util.function.Supplier<byte[]> convert) throws IOException {
        Path cached = cacheFile(origin, sha256(source));
        Path hashFile = cached.resolveSibling(cached.getFileName() + ".sha256");
        if (Files.isRegularFile(cached) && Files.isRegularFile(hashFile)) {
            byte[] onnx = Files.readAllBytes(cached);
            if (sha256(onnx).equals(Files.readString(hashFile, StandardCharsets.US_ASCII).trim())) {
                return onnx;
            }
            log.warn("models: {} does not match its hash; converting {} again", cached, origin.getFileName());
        }
        long t0 = System.nanoTime();
        byte[] onnx = convert.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        try {
            write(cached, onnx);
            write(hashFile, sha256(onnx).getBytes(StandardCharsets.US_ASCII));
            log.info("models: converted {} to ONNX in {} ms, kept as {}", origin.getFileName(), ms, cached.getFileName());
        } catch (IOException e) {
            log.info("models: converted {} to ONNX in {} ms; not kept ({} cannot be written: {})", origin.getFileName(), ms,
                    cached.getParent(), e.getMessage());
        }
        return onnx;
    }

    /** Written whole or not at all: readers never see half a file. */
    private static void write(Path to, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
