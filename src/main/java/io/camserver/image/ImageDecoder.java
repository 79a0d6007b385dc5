package io.camserver.image;

import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Turns encoded bytes into a 3-channel BGR {@link Mat}, or says precisely why it cannot.
 *
 * <p>The format is sniffed from content; sizes are checked from headers before decoding; JPEG
 * and PNG structure is checked so that truncated files are refused instead of decoded into
 * half-grey pictures. The caller owns (and must release) the returned Mat.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }


    /** Checks the bytes without decoding pixels; returns the sniffed format. */
    public ImageFormat inspect(byte[] data) throws ImageDecodeException {
        if (data.length == 0) {
            throw new ImageDecodeException("empty file (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageDecodeException("image is " + data.length + " bytes, over the limit of " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(data)
                .orElseThrow(() -> new ImageDecodeException("not a supported image (JPEG, PNG, BMP, WebP): " + describeStart(data)));
        ImageHeaders.Size size = switch (format) {
            case JPEG -> ImageHeaders.checkJpeg(data);
            case PNG -> ImageHeaders.checkPng(data);
            case BMP -> ImageHeaders.checkBmp(data);
            case WEBP -> null; // libwebp validates its own container before allocating
        };
        if (size != null && (long) size.width() * size.height() > limits.maxPixels()) {
            throw new ImageDecodeException(format + " declares " + size.width() + "x" + size.height() + " = "
                    + ((long) size.width() * size.height()) + " pixels, over the limit of " + limits.maxPixels());
        }
        return format;
    }

    /** Decodes to 8-bit BGR; grey and alpha images are converted. */
    public Mat decode(byte[] data) throws ImageDecodeException {
        ImageFormat format = inspect(data);
        Mat decoded;
        try (var scope = new MatScope()) {
            MatOfByte buf = scope.add(new MatOfByte(data));
            decoded = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        }
        if (decoded.empty()) {
            decoded.release();
            throw new ImageDecodeException("corrupt " + format + ": the decoder could not read it");
        }
        if (decoded.type() != CvType.CV_8UC3) {
            Mat bgr = new Mat();
            Imgproc.cvtColor(decoded, bgr, decoded.channels() == 1 ? Imgproc.COLOR_GRAY2BGR : Imgproc.COLOR_BGRA2BGR);
            decoded.release();
            return bgr;
        }
        return decoded;
    }

    private static String describeStart(byte[] d) {
        int n = Math.min(8, d.length);
        StringBuilder hex = new StringBuilder();
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            hex.append(String.format("%02x", d[i] & 0xff));
            if (i + 1 < n) {
                hex.append(' ');
            }
            int c = d[i] & 0xff;
            printable &= c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f);
        }
        return "starts with bytes " + hex + (printable ? " (looks like text)" : "");
    }
}
