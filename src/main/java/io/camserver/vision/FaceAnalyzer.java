package io.camserver.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * Detect, align and embed every face in one frame. Owns one detector and one embedder, so it
 * is confined to one thread: each analysis worker builds its own.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final FaceDetector detector;
    private final FaceAligner aligner;
    private final FaceEmbedder embedder;

    public FaceAnalyzer(FaceDetector detector, FaceAligner aligner, FaceEmbedder embedder) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.aligner = Objects.requireNonNull(aligner, "aligner");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** A face found and embedded in a frame. */
    public record Face(Detection detection, Embedding embedding) {
    }

    public List<Detection> detect(Mat bgr) {
        return detector.detect(bgr);
    }

    /** See {@link FaceDetector#detect(Mat, int)}: results in the full frame's pixels. */
    public List<Detection> detect(Mat reduced, int reduction) {
        return detector.detect(reduced, reduction);
    }

    /** See {@link FaceDetector#reduction}. */
    public int reduction(int width, int height) {
        return detector.reduction(width, height);
    }

    public Embedding embed(Mat bgr, Detection d) {
        try (AlignedFace face = aligner.align(bgr, d)) {
            return embedder.embed(face);
        }
    }

    /** Aligned crop for storage; the caller closes it. */
    public AlignedFace align(Mat bgr, Detection d) {
        return aligner.align(bgr, d);
    }

    public Embedding embed(AlignedFace face) {
        return embedder.embed(face);
    }

    public List<Face> analyze(Mat bgr) {
        List<Detection> found = detector.detect(bgr);
        List<Face> out = new ArrayList<>(found.size());
        for (Detection d : found) {
            out.add(new Face(d, embed(bgr, d)));
        }
        return out;
    }

    public String embedderModelId() {
        return embedder.modelId();
    }


    @Override
    public void close() {
        detector.close();
        embedder.close();
    }
}
