package io.camserver.analysis;

import io.camserver.image.JpegEncoder;
import io.camserver.image.MatScope;
import io.camserver.output.Annotator;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.Box;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * What the event history keeps of a decided track, encoded once at the decision: the aligned
 * crop (a sample if the user says so), a thumbnail of the face with some margin, and the frame at
 * most 640 px wide with this face boxed and named. One per camera (its encoders are not shared).
 */
final class DecisionPictures {
    record Pictures(byte[] crop, byte[] thumbnail, byte[] snapshot) {
    }

    private final JpegEncoder cropEncoder = new JpegEncoder(95);
    private final JpegEncoder snapshotEncoder = new JpegEncoder(75);

    Pictures of(AlignedFace face, Box b, String name, Mat frame) {
        byte[] crop = cropEncoder.encode(face.pixels());
        try (MatScope s = new MatScope()) {
            double m = 0.3 * Math.max(b.w(), b.h());
            int x0 = (int) Math.max(0, b.x() - m);
            int y0 = (int) Math.max(0, b.y() - m);
            int x1 = (int) Math.min(frame.cols(), b.x() + b.w() + m);
            int y1 = (int) Math.min(frame.rows(), b.y() + b.h() + m);
            Mat region = s.add(frame.submat(new Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0))));
            double ts = Math.min(1.0, 160.0 / Math.max(region.cols(), region.rows()));
            Mat small = s.mat();
            Imgproc.resize(region, small, new Size(Math.max(1, Math.round(region.cols() * ts)), Math.max(1, Math.round(region.rows() * ts))),
                    0, 0, Imgproc.INTER_AREA);
            byte[] thumb = snapshotEncoder.encode(small);
            double fs = Math.min(1.0, 640.0 / frame.cols());
            Mat scaled = s.mat();
            Imgproc.resize(frame, scaled, new Size(Math.round(frame.cols() * fs), Math.round(frame.rows() * fs)), 0, 0, Imgproc.INTER_AREA);
            // The decision's picture shows whom it is about: this face, boxed and named.
            Annotator.draw(scaled, List.of(new Annotator.Label(b.scaled((float) fs), name)));
            return new Pictures(crop, thumb, snapshotEncoder.encode(scaled));
        }
    }
}
