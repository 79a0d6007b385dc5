package io.camserver.vision;

import io.camserver.image.MatScope;
import java.util.Optional;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * How good a view of a face is for naming it: its height in the frame, its sharpness (variance of
 * the Laplacian of the inner aligned face in grey: focus and motion blur flatten it) and how far it
 * is turned (yaw from the landmarks: the nose's offset from the eyes' midpoint, over the eye
 * distance; a nose about 0.6 eye distances in front of the eyes makes that ratio 0.6 tan(yaw)).
 *
 * @param height    face box height in frame pixels
 * @param sharpness Laplacian variance of the aligned face (NaN before alignment)
 * @param yaw       degrees turned left or right, 0 facing the camera
 */
public record FaceQuality(float height, float sharpness, float yaw) {
    /** Nose depth in front of the eyes, in eye distances (average adult face). */
    private static final double NOSE_DEPTH = 0.6;

    /** What geometry says before any pixels are aligned. */
    public static FaceQuality of(Detection d) {
        Landmarks l = d.landmarks();
        double eyesX = (l.x(0) + l.x(1)) / 2;
        double eyeDist = Math.hypot(l.x(1) - l.x(0), l.y(1) - l.y(0));
        double ratio = eyeDist < 1e-3 ? Double.POSITIVE_INFINITY : (l.x(2) - eyesX) / eyeDist;
        float yaw = (float) Math.toDegrees(Math.atan(Math.abs(ratio) / NOSE_DEPTH));
        return new FaceQuality(d.box().h(), Float.NaN, yaw);
    }

    /** Adds the sharpness of the aligned face. */
    public FaceQuality withSharpness(AlignedFace face) {
        try (MatScope s = new MatScope()) {
            // The inner face only (eyes to mouth): the template's corners hold hair, background, or
            // the black fill where a close-up face runs off the frame, whose edges are not the face's.
            Mat px = face.pixels();
            Mat inner = s.add(px.submat(new Rect(px.cols() / 5, px.rows() / 5, px.cols() * 3 / 5, px.rows() * 7 / 10)));
            Mat grey = s.mat();
            Imgproc.cvtColor(inner, grey, Imgproc.COLOR_BGR2GRAY);
            Mat lap = s.mat();
            Imgproc.Laplacian(grey, lap, CvType.CV_32F);
            MatOfDouble mean = s.add(new MatOfDouble());
            MatOfDouble std = s.add(new MatOfDouble());
            Core.meanStdDev(lap, mean, std);
            double sd = std.toArray()[0];
            return new FaceQuality(height, (float) (sd * sd), yaw);
        }
    }

    /**
     * The limits a view must meet to be embedded.
     *
     * @param minHeight    faces shorter than this (pixels) are tracked but not embedded
     * @param minSharpness aligned faces flatter than this Laplacian variance are too blurred
     * @param maxYaw       faces turned further than this (degrees) are not embedded
     */
    public record Limits(int minHeight, float minSharpness, float maxYaw) {
        public Limits {
            if (minHeight < 8 || minHeight > 1000) {
                throw new IllegalArgumentException("quality.minFaceHeight must be in 8..1000 pixels (was " + minHeight + ")");
            }
            if (!(minSharpness >= 0)) {
                throw new IllegalArgumentException("quality.minSharpness must be >= 0 (was " + minSharpness + ")");
            }
            if (!(maxYaw > 0 && maxYaw <= 90)) {
                throw new IllegalArgumentException("quality.maxYaw must be in (0, 90] degrees (was " + maxYaw + ")");
            }
        }

        /** The reason a view is not good enough ({@code small}, {@code turned}, {@code blurred}), or empty. */
        public Optional<String> reject(FaceQuality q) {
            if (q.height() < minHeight) {
                return Optional.of("small");
            }
            if (q.yaw() > maxYaw) {
                return Optional.of("turned");
            }
            if (!Float.isNaN(q.sharpness()) && q.sharpness() < minSharpness) {
                return Optional.of("blurred");
            }
            return Optional.empty();
        }
    }
}
