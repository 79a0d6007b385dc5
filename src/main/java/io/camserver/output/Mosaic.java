package io.camserver.output;

import io.camserver.image.MatScope;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Lays camera tiles out in a near-square grid (the demo's /video_feed showed every camera
 * side by side). One camera fills the picture; more share it.
 */
public final class Mosaic {
    private Mosaic() {
    }

    /** A camera's latest annotated picture (may be null: no frame yet) and its caption. */
    public record Tile(Mat picture, String caption) {
    }

    /** Returns a new BGR Mat; the caller releases it. */
    public static Mat compose(List<Tile> tiles, int tileWidth, int tileHeight) {
        int n = Math.max(1, tiles.size());
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (int) Math.ceil((double) n / cols);
        int tw = n == 1 ? tileWidth : tileWidth / 2;
        int th = n == 1 ? tileHeight : tileHeight / 2;
        Mat out = new Mat(rows * th, cols * tw, CvType.CV_8UC3, new Scalar(24, 24, 24));
        if (tiles.isEmpty()) {
            Annotator.caption(out, "no cameras yet: waiting for registrations");
            return out;
        }
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            Rect cell = new Rect((i % cols) * tw, (i / cols) * th, tw, th);
            try (MatScope s = new MatScope()) {
                Mat dst = s.add(out.submat(cell));
                if (t.picture() != null && !t.picture().empty()) {
                    Mat scaled = s.mat();
                    Imgproc.resize(t.picture(), scaled, new Size(tw, th), 0, 0, Imgproc.INTER_AREA);
                    scaled.copyTo(dst);
                }
                // A dark strip keeps the caption readable on bright pictures.
                Mat strip = s.add(dst.submat(new Rect(0, 0, tw, Math.min(th, 24))));
                Core.addWeighted(strip, 0.35, strip, 0, 0, strip);
                Imgproc.putText(dst, t.caption(), new org.opencv.core.Point(6, 17), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5,
                        new Scalar(255, 255, 255), 1, Imgproc.LINE_AA);
            }
        }
        return out;
    }
}
