package io.camserver.vision.opencv;

import io.camserver.vision.AlignedFace;
import io.camserver.vision.Detection;
import io.camserver.vision.FaceTemplate;
import io.camserver.vision.SimilarityTransform;
import io.camserver.vision.FaceAligner;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Warps a face onto the standard 112x112 ArcFace five-point template (the layout both
 * fr_feature and SFace were trained on) with a least-squares similarity transform.
 */
final class TemplateAligner implements FaceAligner {
    static final float[] ARCFACE_112 = FaceTemplate.ARCFACE_112;
    static final int SIZE = FaceTemplate.ARCFACE_SIDE;

    @Override
    public AlignedFace align(Mat bgr, Detection detection) {
        double[] m = SimilarityTransform.estimate(detection.landmarks().xy(), ARCFACE_112);
        Mat affine = new Mat(2, 3, CvType.CV_64F);
        Mat out = new Mat();
        try {
            affine.put(0, 0, m);
            Imgproc.warpAffine(bgr, out, affine, new Size(SIZE, SIZE), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            affine.release();
        }
        return new AlignedFace(out, detection);
    }
}
