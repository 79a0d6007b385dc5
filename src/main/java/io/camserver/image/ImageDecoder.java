package io.camserver.image;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
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

    private final Set<ImageFormat> accepted;

    /** A decoder for photos: every supported format, within the limits. */
    public ImageDecoder(ImageLimits limits) {
        this(limits, EnumSet.allOf(ImageFormat.class));
    }

    private ImageDecoder(ImageLimits limits, Set<ImageFormat> accepted) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.accepted = Set.copyOf(accepted);
    }

    /** A decoder for camera frames: JPEG only, whatever a part's header claimed. */
    public static ImageDecoder jpegOnly(ImageLimits limits) {
        return new ImageDecoder(limits, EnumSet.of(ImageFormat.JPEG));
    }


    /**
     * Reads an image file, refusing one over the byte limit before reading it (and reading at most
     * one byte past the limit, should the file grow meanwhile): a folder import or a CLI run must
     * not load a 10 GB file to find out it is too big.
     */
    public byte[] readFile(java.nio.file.Path file) throws java.io.IOException, ImageDecodeException {
        long size = java.nio.file.Files.size(file);
        if (size > limits.maxBytes()) {
            throw new ImageDecodeException("file is " + size + " bytes, over the limit of " + limits.maxBytes());
        }
        try (var in = java.nio.file.Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) limits.maxBytes() + 1);
            if (data.length > limits.maxBytes()) {
                throw new ImageDecodeException("file grew past the limit of " + limits.maxBytes() + " bytes while being read");
            }
            return data;
        }
    }

    /** Checks the bytes without decoding pixels; returns the size the header declares. */
    public ImageSize size(byte[] data) throws ImageDecodeException {
        return check(data).size();
    }

    private record Checked(ImageFormat format, ImageSize size) {
    }

    private Checked check(byte[] data) throws ImageDecodeException {
        if (data.length == 0) {
            throw new ImageDecodeException("empty file (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageDecodeException("image is " + data.length + " bytes, over the limit of " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(data)
                .orElseThrow(() -> new ImageDecodeException("not a supported image (JPEG, PNG, BMP, WebP): " + describeStart(data)));
        if (!accepted.contains(format)) {
            throw new ImageDecodeException("a " + format + " where only " + accepted + " is accepted");
        }
        ImageSize size = switch (format) {
            case JPEG -> ImageHeaders.checkJpeg(data);
            case PNG -> ImageHeaders.checkPng(data);
            case BMP -> ImageHeaders.checkBmp(data);
            case WEBP -> ImageHeaders.checkWebp(data);
        };
        if ((long) size.width() * size.height() > limits.maxPixels()) {
            throw new ImageDecodeException(format + " declares " + size.width() + "x" + size.height() + " = "
                    + ((long) size.width() * size.height()) + " pixels, over the limit of " + limits.maxPixels());
        }
        return new Checked(format, size);
    }

    /** Decodes to 8-bit BGR; grey and alpha images are converted. */
    public Mat decode(byte[] data) throws ImageDecodeException {
        return decode(data, 1);
    }

    /**
     * Decodes to 8-bit BGR at 1/{@code reduction} (1, 2, 4 or 8) of the size in each dimension
     * (rounded up). For a JPEG, libjpeg scales inside the inverse DCT, so a half-size decode
     * skips most of the work of a full one instead of shrinking a full decode afterwards.
     */
    public Mat decode(byte[] data, int reduction) throws ImageDecodeException {
        return decodeChecked(check(data).format(), data, reduction);
    }

    /** A picture decoded at a reduction chosen from its declared size. */
    public record Scaled(Mat image, int reduction) {
    }

    /**
     * Checks the bytes once, then decodes at the reduction {@code reductionFor} picks from the
     * declared width and height: the structural check (a walk of the whole JPEG) is not repeated.
     */
    public Scaled decodeScaled(byte[] data, java.util.function.IntBinaryOperator reductionFor) throws ImageDecodeException {
        Checked c = check(data);
        int reduction = reductionFor.applyAsInt(c.size().width(), c.size().height());
        return new Scaled(decodeChecked(c.format(), data, reduction), reduction);
    }

    private static Mat decodeChecked(ImageFormat format, byte[] data, int reduction) throws ImageDecodeException {
        int flags = switch (reduction) {
            case 1 -> Imgcodecs.IMREAD_COLOR;
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, was " + reduction);
        };
        Mat decoded;
        try (var scope = new MatScope()) {
            MatOfByte buf = scope.add(new MatOfByte(data));
            decoded = Imgcodecs.imdecode(buf, flags);
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
