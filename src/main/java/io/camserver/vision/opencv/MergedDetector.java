package io.camserver.vision.opencv;

import io.camserver.vision.Detection;
import io.camserver.vision.FaceDetector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Runs several detectors on the same frame and keeps, for each face, the most confident
 * detection (plain IoU suppression across models: boxes from different models are not
 * averaged, their keypoint conventions being slightly different).
 *
 * <p>With {@code onDemand}, only the first detector runs on every frame; the others run when it
 * found no face, or a face taller than a third of the frame. That is the live default: full
 * range on every frame, short range where full range is weak (a face at the lens, which it often
 * misses or finds only in part), at no cost on frames whose faces full range handles.
 */
final class MergedDetector implements FaceDetector {
    /** A face this tall (fraction of the frame's height) is a close-up: short range is asked too. */
    private static final double CLOSE_UP = 1.0 / 3;
    private final List<FaceDetector> parts;
    private final float iou;
    private final int maxFaces;
    private final String name;
    private final boolean onDemand;

    MergedDetector(String name, List<FaceDetector> parts, float iou, int maxFaces, boolean onDemand) {
        this.name = name;
        this.parts = List.copyOf(parts);
        this.iou = iou;
        this.maxFaces = maxFaces;
        this.onDemand = onDemand;
    }

    @Override
    public String name() {
        return name;
    }

    /** The reduction every part can work from: the most demanding part's. */
    @Override
    public int reduction(int width, int height) {
        return parts.stream().mapToInt(p -> p.reduction(width, height)).min().orElse(1);
    }

    @Override
    public List<Detection> detect(Mat bgr, int reduction) {
        List<Detection> all = new ArrayList<>(parts.get(0).detect(bgr, reduction));
        double closeUp = CLOSE_UP * bgr.rows() * reduction;
        if (!onDemand || all.isEmpty() || all.stream().anyMatch(d -> d.box().h() > closeUp)) {
            for (FaceDetector d : parts.subList(1, parts.size())) {
                all.addAll(d.detect(bgr, reduction));
            }
        }
        all.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : all) {
            if (kept.size() >= maxFaces) {
                break;
            }
            boolean duplicate = false;
            for (Detection k : kept) {
                if (overlaps(k, d)) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                kept.add(d);
            }
        }
        return kept;
    }

    /**
     * Same face if the boxes overlap enough, or if one box holds the other's centre: the two
     * models draw boxes of different tightness, so IoU alone can miss a duplicate.
     */
    private boolean overlaps(Detection a, Detection b) {
        return a.box().iou(b.box()) > iou
                || a.box().contains(b.box().cx(), b.box().cy()) && b.box().contains(a.box().cx(), a.box().cy());
    }

    @Override
    public void close() {
        parts.forEach(FaceDetector::close);
    }
}
