package io.camserver.image;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** JPEG encoding at a fixed quality, native buffers released at once. Thread-safe. */
public final class JpegEncoder {
    private final MatOfInt params;

    public JpegEncoder(int quality) {
        if (quality < 10 || quality > 100) {
            throw new IllegalArgumentException("output.jpegQuality must be in 10..100 (was " + quality + ")");
        }
        this.params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    }

    public byte[] encode(Mat bgr) {
        MatOfByte buf = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".jpg", bgr, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed for a " + bgr.cols() + "x" + bgr.rows() + " frame");
            }
            return buf.toArray();
        } finally {
            buf.release();
        }
    }
}
