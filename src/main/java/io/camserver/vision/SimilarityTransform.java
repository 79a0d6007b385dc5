package io.camserver.vision;

/**
 * Least-squares 2-D similarity (rotation, uniform scale, translation; no reflection or shear)
 * mapping source points onto destination points: the Umeyama solution, which in 2-D has a
 * closed form when points are treated as complex numbers: with centred points a and b, the
 * best z in b = z * a is sum(conj(a) * b) / sum(|a|^2).
 *
 * <p>A full affine fit would also shear the face to fit noisy keypoints, distorting identity.
 */
public final class SimilarityTransform {
    private SimilarityTransform() {
    }

    /**
     * @return the 2x3 row-major matrix {@code [c, -d, tx, d, c, ty]} such that
     *         {@code dst ~= [[c, -d], [d, c]] * src + t}
     */
    public static double[] estimate(float[] src, float[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("need matching point lists of >= 2 points (were " + src.length + " and " + dst.length + ")");
        }
        int n = src.length / 2;
        double msx = 0;
        double msy = 0;
        double mdx = 0;
        double mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[2 * i];
            msy += src[2 * i + 1];
            mdx += dst[2 * i];
            mdy += dst[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double num_re = 0;
        double num_im = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double ax = src[2 * i] - msx;
            double ay = src[2 * i + 1] - msy;
            double bx = dst[2 * i] - mdx;
            double by = dst[2 * i + 1] - mdy;
            // conj(a) * b = (ax - i ay)(bx + i by)
            num_re += ax * bx + ay * by;
            num_im += ax * by - ay * bx;
            den += ax * ax + ay * ay;
        }
        if (den < 1e-9) {
            throw new IllegalArgumentException("source points coincide; cannot fit a similarity");
        }
        double c = num_re / den;
        double d = num_im / den;
        double tx = mdx - (c * msx - d * msy);
        double ty = mdy - (d * msx + c * msy);
        return new double[] {c, -d, tx, d, c, ty};
    }
}
