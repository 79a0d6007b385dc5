package io.camserver.motion;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Decides, as NVRs do, whether anything moved: the JPEG is decoded at an eighth of its size in
 * grey (libjpeg scales in the DCT, so this costs a fraction of a full decode), slightly blurred,
 * and compared with a slowly updated background. Pixels that differ by more than
 * {@code threshold} grey levels count as changed; the frame moved when they cover at least
 * {@code minArea} of the picture; the previous frame is compared the same way, so a fast change
 * or a flicker is not averaged away. The blur and the eighth-size average away the pixel noise of a
 * cheap sensor; a person walking in changes whole blocks. The background lives in a Java array
 * (80x60 for VGA), so a gate holds no native memory and needs no closing. One gate per camera,
 * used by the one worker processing that camera at a time.
 */
public final class MotionGate {
    /** The verdict, with the changed regions in full-frame pixels (asked for by {@code output.debug}). */
    public record Result(boolean moving, List<Rect> regions) {
        /** For a frame that was not checked (gating off): treated as moving. */
        public static final Result UNCHECKED = new Result(true, List.of());
    }

    private static final int SCALE = 8;
    /** How fast the background follows the scene: slowly while something moves (a passer-by must not become background), faster when still (light changes). */
    private static final float LEARN_MOVING = 0.02f;
    private static final float LEARN_STILL = 0.1f;
    private final double threshold;
    private final double minArea;
    private float[] background;
    private byte[] previous;
    private byte[] pixels = new byte[0];
    private byte[] mask = new byte[0];
    private int width;
    private int height;

    /**
     * @param threshold grey levels (0-255) a pixel must change by to count
     * @param minArea   fraction of the picture (0-1) that must change for the frame to count as moving
     *                  (both checked where the configuration is read, {@code AnalysisConfig.Motion})
     */
    public MotionGate(double threshold, double minArea) {
        this.threshold = threshold;
        this.minArea = minArea;
    }

    /**
     * Checks one frame and learns from it. The first frame, a change of size, and a frame that
     * does not decode all count as moving (the full decode that follows will say what was wrong).
     */
    public Result check(byte[] jpeg, boolean wantRegions) {
        if (!load(jpeg)) {
            return Result.UNCHECKED;
        }
        int n = width * height;
        if (background == null || background.length != n) {
            background = new float[n];
            previous = new byte[n];
            for (int i = 0; i < n; i++) {
                background[i] = pixels[i] & 0xff;
            }
            System.arraycopy(pixels, 0, previous, 0, n);
            return Result.UNCHECKED;
        }
        byte[] mask = null;
        if (wantRegions) {
            if (this.mask.length != n) {
                this.mask = new byte[n];
            }
            mask = this.mask;
            java.util.Arrays.fill(mask, (byte) 0);
        }
        int changed = 0;
        for (int i = 0; i < n; i++) {
            int p = pixels[i] & 0xff;
            // Against the background (something arrived) or against the previous frame (something
            // moves fast, or flickers between two pictures, which a slow background would average).
            if (Math.abs(p - background[i]) > threshold || Math.abs(p - (previous[i] & 0xff)) > threshold) {
                changed++;
                if (mask != null) {
                    mask[i] = (byte) 255;
                }
            }
        }
        boolean moving = changed >= minArea * n;
        float rate = moving ? LEARN_MOVING : LEARN_STILL;
        for (int i = 0; i < n; i++) {
            background[i] += rate * ((pixels[i] & 0xff) - background[i]);
        }
        System.arraycopy(pixels, 0, previous, 0, n);
        return new Result(moving, moving && mask != null ? regions(mask) : List.of());
    }

    /** Decodes at an eighth of the size, in grey, blurred, into {@link #pixels}. */
    private boolean load(byte[] jpeg) {
        MatOfByte buf = new MatOfByte(jpeg);
        Mat small = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8);
        buf.release();
        try {
            if (small.empty()) {
                return false;
            }
            Imgproc.GaussianBlur(small, small, new Size(3, 3), 0);
            width = small.cols();
            height = small.rows();
            if (pixels.length != width * height) {
                pixels = new byte[width * height];
            }
            small.get(0, 0, pixels);
            return true;
        } finally {
            small.release();
        }
    }

    private List<Rect> regions(byte[] mask) {
        Mat m = new Mat(height, width, CvType.CV_8UC1);
        Mat hierarchy = new Mat();
        List<MatOfPoint> contours = new ArrayList<>();
        try {
            m.put(0, 0, mask);
            Imgproc.findContours(m, contours, hierarchy, Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
            List<Rect> out = new ArrayList<>(contours.size());
            for (MatOfPoint c : contours) {
                Rect r = Imgproc.boundingRect(c);
                out.add(new Rect(r.x * SCALE, r.y * SCALE, r.width * SCALE, r.height * SCALE));
            }
            return out;
        } finally {
            contours.forEach(Mat::release);
            hierarchy.release();
            m.release();
        }
    }
}
