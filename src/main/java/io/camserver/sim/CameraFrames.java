package io.camserver.sim;

import io.camserver.image.MatScope;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The pictures a simulated camera sends: photos fitted into its 640x480 frame, and still scenes with sensor noise. */
public final class CameraFrames {
    private CameraFrames() {
    }

    /** Loads every image in {@code dir} (sorted by name), fitted into 640x480, JPEG quality 90. */
    public static List<byte[]> loadFrames(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(jpe?g|png|bmp|webp)")).sorted().toList();
        }
        List<byte[]> out = new ArrayList<>();
        for (Path f : files) {
            out.add(toFrame(Files.readAllBytes(f), f.toString()));
        }
        if (out.isEmpty()) {
            throw new IOException("no images (.jpg, .png, .bmp, .webp) in " + dir);
        }
        return out;
    }

    /**
     * Fits a picture into a black 640x480 frame, upscaling at most 1.6x: a small face crop
     * then looks like a person at a door, not a face pressed against the lens.
     */
    public static byte[] toFrame(byte[] encoded, String name) throws IOException {
        OpenCvRuntime.load();
        try (MatScope s = new MatScope()) {
            Mat src = s.add(Imgcodecs.imdecode(s.add(new MatOfByte(encoded)), Imgcodecs.IMREAD_COLOR));
            if (src.empty()) {
                throw new IOException("cannot decode image " + name);
            }
            double scale = Math.min(1.6, Math.min((double) SimulatedCamera.WIDTH / src.cols(), (double) SimulatedCamera.HEIGHT / src.rows()));
            int w = (int) Math.round(src.cols() * scale);
            int h = (int) Math.round(src.rows() * scale);
            Mat resized = s.mat();
            Imgproc.resize(src, resized, new Size(w, h), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
            Mat frame = s.mat();
            int px = (SimulatedCamera.WIDTH - w) / 2;
            int py = (SimulatedCamera.HEIGHT - h) / 2;
            Core.copyMakeBorder(resized, frame, py, SimulatedCamera.HEIGHT - h - py, px, SimulatedCamera.WIDTH - w - px, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            MatOfByte buf = s.add(new MatOfByte());
            Imgcodecs.imencode(".jpg", frame, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return buf.toArray();
        }
    }

    /**
     * One frame as a still scene: {@code count} encodings of it, each with fresh noise like a cheap
     * sensor's (Gaussian, sigma 3 grey levels), so the scene is still but no two frames are equal.
     */
    public static List<byte[]> stillScene(byte[] jpeg, int count) throws IOException {
        OpenCvRuntime.load();
        List<byte[]> out = new ArrayList<>(count);
        try (MatScope s = new MatScope()) {
            Mat img = s.add(Imgcodecs.imdecode(s.add(new MatOfByte(jpeg)), Imgcodecs.IMREAD_COLOR));
            if (img.empty()) {
                throw new IOException("cannot decode the still scene's frame (" + jpeg.length + " bytes)");
            }
            Mat wide = s.mat();
            img.convertTo(wide, CvType.CV_16SC3);
            for (int i = 0; i < count; i++) {
                Mat noise = s.add(new Mat(wide.size(), CvType.CV_16SC3));
                Core.randn(noise, 0, 3);
                Mat sum = s.mat();
                Core.add(wide, noise, sum);
                Mat back = s.mat();
                sum.convertTo(back, CvType.CV_8UC3);
                MatOfByte buf = s.add(new MatOfByte());
                Imgcodecs.imencode(".jpg", back, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
                out.add(buf.toArray());
            }
        }
        return out;
    }
}
