package io.camserver.vision.opencv;

import io.camserver.vision.Box;
import io.camserver.vision.Detection;
import io.camserver.vision.Landmarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MediaPipe's weighted non-maximum suppression: each kept face is the score-weighted mean of
 * all candidates overlapping the best one. BlazeFace fires on several neighbouring anchors per
 * face; averaging them gives steadier boxes and keypoints (and so steadier alignment) than
 * keeping only the top anchor.
 */
final class WeightedNms {
    private WeightedNms() {
    }

    static List<Detection> apply(List<Detection> candidates, float iouThreshold, int maxFaces) {
        List<Detection> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!remaining.isEmpty() && out.size() < maxFaces) {
            Detection top = remaining.get(0);
            List<Detection> cluster = new ArrayList<>();
            List<Detection> rest = new ArrayList<>();
            for (Detection d : remaining) {
                (d == top || top.box().iou(d.box()) > iouThreshold ? cluster : rest).add(d);
            }
            out.add(cluster.size() == 1 ? top : merge(top, cluster));
            remaining = rest;
        }
        return out;
    }

    private static Detection merge(Detection top, List<Detection> cluster) {
        float total = 0;
        float x0 = 0;
        float y0 = 0;
        float x1 = 0;
        float y1 = 0;
        float[] pts = new float[Landmarks.COUNT * 2];
        for (Detection d : cluster) {
            float s = d.score();
            total += s;
            Box b = d.box();
            x0 += b.x() * s;
            y0 += b.y() * s;
            x1 += (b.x() + b.w()) * s;
            y1 += (b.y() + b.h()) * s;
            float[] xy = d.landmarks().xy();
            for (int i = 0; i < pts.length; i++) {
                pts[i] += xy[i] * s;
            }
        }
        for (int i = 0; i < pts.length; i++) {
            pts[i] /= total;
        }
        x0 /= total;
        y0 /= total;
        x1 /= total;
        y1 /= total;
        return new Detection(new Box(x0, y0, x1 - x0, y1 - y0), top.score(), new Landmarks(pts));
    }
}
