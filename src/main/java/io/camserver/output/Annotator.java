package io.camserver.output;

import io.camserver.gallery.Match;
import io.camserver.vision.Box;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Draws what was recognised, as the demo did: a box around each face and the name under it
 * ("unknown" for strangers). Known people in green, unknown in red, so a glance tells them apart.
 */
public final class Annotator {
    private static final Scalar KNOWN = new Scalar(60, 200, 60);
    private static final Scalar UNKNOWN = new Scalar(40, 40, 230);
    private static final Scalar MOTION = new Scalar(0, 200, 255);
    private static final Scalar TEXT = new Scalar(255, 255, 255);
    private static final int FONT = Imgproc.FONT_HERSHEY_SIMPLEX;

    private Annotator() {
    }

    /** A face to draw. */
    public record Label(Box box, String name) {
        boolean known() {
            return !Match.UNKNOWN.equals(name);
        }
    }

    public static void draw(Mat bgr, List<Label> labels) {
        int thickness = Math.max(2, bgr.cols() / 320);
        // A full frame is read after the mosaic halves it: at least 0.8 of Hershey's base size. A
        // picture already at tile size (the detector's half-size decode) is shown as drawn: 0.5.
        double scale = bgr.cols() < 480 ? 0.5 : Math.max(0.8, bgr.cols() / 800.0);
        int textThickness = scale >= 1.0 ? 2 : 1;
        for (Label l : labels) {
            Scalar color = l.known() ? KNOWN : UNKNOWN;
            Box b = l.box();
            Point p1 = new Point(b.x(), b.y());
            Point p2 = new Point(b.x() + b.w(), b.y() + b.h());
            Imgproc.rectangle(bgr, p1, p2, color, thickness);
            int[] baseline = new int[1];
            Size ts = Imgproc.getTextSize(l.name(), FONT, scale, textThickness, baseline);
            int tx = (int) Math.max(0, Math.min(b.x(), bgr.cols() - ts.width - 6));
            int ty = (int) Math.min(bgr.rows() - 2, b.y() + b.h() + ts.height + 8);
            Imgproc.rectangle(bgr, new Rect(tx, (int) (ty - ts.height - 6), (int) ts.width + 6, (int) ts.height + 8), color, -1);
            Imgproc.putText(bgr, l.name(), new Point(tx + 3, ty - 3), FONT, scale, TEXT, textThickness, Imgproc.LINE_AA);
        }
    }

    /** Outlines regions where motion was seen ({@code output.debug}), thin so faces stay readable. */
    public static void motion(Mat bgr, List<Rect> regions) {
        for (Rect r : regions) {
            Imgproc.rectangle(bgr, r.tl(), r.br(), MOTION, 1);
        }
    }

    /** A status line (for cameras with no picture yet, or offline). */
    public static void caption(Mat bgr, String text) {
        Imgproc.putText(bgr, text, new Point(12, bgr.rows() / 2.0), FONT, 0.6, TEXT, 1, Imgproc.LINE_AA);
    }
}
