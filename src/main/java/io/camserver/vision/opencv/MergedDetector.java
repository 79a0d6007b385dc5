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
 */
final class MergedDetector implements FaceDetector {
    private final List<FaceDetector> parts;
    private final float iou;
    private final int maxFaces;
    private final String name;

    MergedDetector(String name, List<FaceDetector> parts, float iou, int maxFaces) {
        this.name = name;
        this.parts = List.copyOf(parts);
        this.iou = iou;
        this.maxFaces = maxFaces;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        List<Detection> all = new ArrayList<>();
        for (FaceDetector d : parts) {
            all.addAll(d.detect(bgr));
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
