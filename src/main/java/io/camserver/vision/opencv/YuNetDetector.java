package io.camserver.vision.opencv;

import io.camserver.vision.Box;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.Detection;
import io.camserver.vision.FaceDetector;
import io.camserver.vision.Landmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.objdetect.FaceDetectorYN;

/**
 * OpenCV Zoo YuNet through OpenCV's own {@link FaceDetectorYN}. Each output row is x, y, w, h,
 * then five points (right eye, left eye, nose tip, right and left mouth corner, the subject's
 * right being the image's left, i.e. already the ArcFace order) and the score.
 */
final class YuNetDetector implements FaceDetector {
    private final FaceDetectorYN yn;
    private final DetectorConfig config;
    private Size inputSize = new Size(0, 0);

    YuNetDetector(Path model, DetectorConfig config) {
        this.config = config;
        this.yn = FaceDetectorYN.create(model.toString(), "", new Size(320, 320), config.minScore(), config.nmsIou(), 5000);
    }

    @Override
    public String name() {
        return "yunet";
    }

    /**
     * YuNet runs at the picture's own resolution ({@link #reduction} stays 1); a reduced picture
     * is still handled, its detections scaled up to the full frame.
     */
    @Override
    public List<Detection> detect(Mat bgr, int reduction) {
        if (bgr.cols() == 0 || bgr.rows() == 0) {
            return List.of();
        }
        Size size = bgr.size();
        if (size.width != inputSize.width || size.height != inputSize.height) {
            yn.setInputSize(size);
            inputSize = size;
        }
        Mat faces = new Mat();
        try {
            yn.detect(bgr, faces);
            List<Detection> out = new ArrayList<>();
            float[] row = new float[15];
            for (int r = 0; r < faces.rows() && out.size() < config.maxFaces(); r++) {
                faces.get(r, 0, row);
                Box box = new Box(row[0], row[1], Math.max(0, row[2]), Math.max(0, row[3])).clip(bgr.cols(), bgr.rows());
                if (Math.min(box.w(), box.h()) * reduction < config.minFaceSize()) {
                    continue;
                }
                float[] pts = new float[10];
                System.arraycopy(row, 4, pts, 0, 10);
                Detection d = new Detection(box, row[14], new Landmarks(pts));
                out.add(reduction == 1 ? d : d.scaled(reduction));
            }
            out.sort((a, b) -> Float.compare(b.score(), a.score()));
            return out;
        } finally {
            faces.release();
        }
    }

    @Override
    public void close() {
        // FaceDetectorYN frees its network in its finalizer; the Java API has no explicit close.
    }
}
