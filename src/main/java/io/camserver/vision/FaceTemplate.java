package io.camserver.vision;

import io.camserver.image.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Where the five {@link Landmarks} sit on the square face an embedder was trained on.
 *
 * <p>Every aligned face camserver makes and keeps is on the 112x112 ArcFace template (so stored
 * crops serve whichever embedder is configured later). An embedder trained on another layout gets
 * its input by one more similarity warp of that crop, from template to template: for dlib's
 * ResNet the 150x150 chip of {@code get_face_chip_details(shape, 150, 0.25)}, whose points come
 * from dlib's published mean face shape (the eye centres as the mean of each eye's six points,
 * the nose tip, the mouth corners). That chip reaches further down than the ArcFace crop, so its
 * bottom tenth (below the chin's middle) is black, and it is drawn from about 103 of the crop's
 * 112 pixels.
 */
public final class FaceTemplate {
    private FaceTemplate() {
    }

    /** The InsightFace reference points for a 112x112 crop, in {@link Landmarks} order. */
    public static final float[] ARCFACE_112 = {
        38.2946f, 51.6963f,
        73.5318f, 51.5014f,
        56.0252f, 71.7366f,
        41.5493f, 92.3655f,
        70.7299f, 92.2041f,
    };
    public static final int ARCFACE_SIDE = 112;

    /** dlib's 150x150 chip with padding 0.25: (mean-shape point + 0.25) / 1.5 * 150. */
    static final float[] DLIB_150 = {
        47.549f, 46.599f,
        100.476f, 46.599f,
        74.013f, 76.563f,
        50.415f, 103.023f,
        97.610f, 103.023f,
    };

    private static final double[] ARCFACE_TO_DLIB = SimilarityTransform.estimate(ARCFACE_112, DLIB_150);

    /**
     * The network input for a 112x112 ArcFace-aligned BGR crop: warped to the embedder's own
     * template where it has one, then in one native pass BGR to RGB, mean subtracted, scaled and
     * laid out NCHW. The caller releases the blob.
     */
    public static Mat blob(Mat bgr112, EmbedderConfig.Kind kind) {
        try (MatScope s = new MatScope()) {
            Mat input = bgr112;
            if (kind.side() != ARCFACE_SIDE) {
                if (kind != EmbedderConfig.Kind.DLIB) {
                    throw new IllegalStateException("no template for embedder " + kind.id() + " at " + kind.side() + " px");
                }
                Mat affine = s.add(new Mat(2, 3, CvType.CV_64F));
                affine.put(0, 0, ARCFACE_TO_DLIB);
                input = s.mat();
                Imgproc.warpAffine(bgr112, input, affine, new Size(kind.side(), kind.side()), Imgproc.INTER_LINEAR,
                        Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            }
            // With swapRB the mean is given in R, G, B order (OpenCV swaps the image, not the mean).
            return org.opencv.dnn.Dnn.blobFromImage(input, kind.scale(), new Size(kind.side(), kind.side()),
                    new Scalar(kind.mean(0), kind.mean(1), kind.mean(2)), true, false);
        }
    }
}
