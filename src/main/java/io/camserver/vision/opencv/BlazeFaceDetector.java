package io.camserver.vision.opencv;

import io.camserver.image.MatScope;
import io.camserver.vision.Box;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.Detection;
import io.camserver.vision.FaceDetector;
import io.camserver.vision.Landmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

/**
 * MediaPipe BlazeFace (short or full range) through OpenCV's TFLite importer.
 *
 * <p>The frame is letterboxed (aspect kept, centred, black bars) to the square input, as
 * MediaPipe does; the 16 regressor values per anchor are box centre dx, dy, w, h then six
 * keypoints (x, y) in input pixels relative to the anchor centre; scores are logits. The six
 * keypoints are the subject's right eye, left eye, nose tip, mouth centre, right and left ear
 * tragion; the subject's right eye appears on the image's left, which is the ArcFace order.
 */
final class BlazeFaceDetector implements FaceDetector {
    private static final int COORDS = 16;
    /** MediaPipe clips logits to +-100 before the sigmoid. */
    private static final float LOGIT_CLIP = 100f;

    private final Net net;
    private final String name;
    private final int inputSize;
    private final float[] anchors;
    private final List<String> outputNames;
    private final DetectorConfig config;
    private final float minScore;
    /** Reused per frame (a detector belongs to one worker): the letterboxed input and the outputs. */
    private final Mat boxed;
    private final float[] scores;
    private final float[] regs;
    private int lastPadX = -1;
    private int lastPadY = -1;

    private BlazeFaceDetector(Path model, String name, int inputSize, float[] anchors, DetectorConfig config, float minScore) {
        this.net = Dnn.readNet(model.toString());
        if (net.empty()) {
            throw new IllegalStateException("OpenCV could not load BlazeFace model " + model);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.anchors = anchors;
        this.config = Objects.requireNonNull(config, "config");
        this.minScore = minScore;
        this.boxed = new Mat(inputSize, inputSize, org.opencv.core.CvType.CV_8UC3, new Scalar(0, 0, 0));
        this.scores = new float[anchors.length / 2];
        this.regs = new float[anchors.length / 2 * COORDS];
        this.outputNames = net.getUnconnectedOutLayersNames();
        if (outputNames.size() != 2) {
            throw new IllegalStateException(model + ": expected 2 outputs (scores, regressors), found " + outputNames);
        }
    }

    static BlazeFaceDetector fullRange(Path model, DetectorConfig config) {
        return new BlazeFaceDetector(model, "blazeface-full", 192, BlazeFaceAnchors.fullRange(), config,
                config.scoreThreshold(false));
    }

    static BlazeFaceDetector shortRange(Path model, DetectorConfig config) {
        return new BlazeFaceDetector(model, "blazeface-short", 128, BlazeFaceAnchors.shortRange(), config,
                config.scoreThreshold(true));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int reduction(int width, int height) {
        int r = 1;
        while (r < 8 && Math.max(width, height) / (2 * r) >= inputSize) {
            r *= 2;
        }
        return r;
    }

    @Override
    public List<Detection> detect(Mat bgr, int reduction) {
        int w = bgr.cols();
        int h = bgr.rows();
        if (w == 0 || h == 0) {
            return List.of();
        }
        float scale = Math.min((float) inputSize / w, (float) inputSize / h);
        int rw = Math.max(1, Math.round(w * scale));
        int rh = Math.max(1, Math.round(h * scale));
        int padX = (inputSize - rw) / 2;
        int padY = (inputSize - rh) / 2;
        try (MatScope s = new MatScope()) {
            // Letterboxed into the reused input picture: resize straight into its middle (a view),
            // the bars stay black unless the aspect changed since the last frame.
            if (padX != lastPadX || padY != lastPadY) {
                boxed.setTo(new Scalar(0, 0, 0));
                lastPadX = padX;
                lastPadY = padY;
            }
            Mat inner = s.add(boxed.submat(padY, padY + rh, padX, padX + rw));
            Imgproc.resize(bgr, inner, new Size(rw, rh), 0, 0, Imgproc.INTER_LINEAR);
            // Network wants RGB in [-1, 1].
            Mat blob = s.add(Dnn.blobFromImage(boxed, 1 / 127.5, new Size(inputSize, inputSize),
                    new Scalar(127.5, 127.5, 127.5), true, false));
            net.setInput(blob);
            List<Mat> outs = new ArrayList<>(2);
            net.forward(outs, outputNames);
            outs.forEach(s::add);
            Mat a = outs.get(0);
            Mat b = outs.get(1);
            // Which output is which is told by size: 1 score vs 16 regressors per anchor.
            Mat scoreMat = a.total() < b.total() ? a : b;
            Mat regMat = scoreMat == a ? b : a;
            int n = anchors.length / 2;
            if (scoreMat.total() != n || regMat.total() != (long) n * COORDS) {
                throw new IllegalStateException(name + ": output sizes " + scoreMat.total() + " and " + regMat.total()
                        + " do not match " + n + " anchors");
            }
            s.add(scoreMat.reshape(1, 1)).get(0, 0, scores);
            s.add(regMat.reshape(1, 1)).get(0, 0, regs);
        }
        // Detections in the full frame's pixels: the reduction folds into the letterbox scale.
        return decode(scores, regs, scale / reduction, padX, padY, w * reduction, h * reduction);
    }

    /** Decodes anchors above the score threshold into source-image detections, then suppresses. */
    List<Detection> decode(float[] scores, float[] regs, float scale, int padX, int padY, int w, int h) {
        List<Detection> candidates = new ArrayList<>();
        float minLogit = (float) Math.log(minScore / (1 - minScore));
        for (int i = 0; i < scores.length; i++) {
            float logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, scores[i]));
            if (logit < minLogit) {
                continue;
            }
            float score = (float) (1 / (1 + Math.exp(-logit)));
            float ax = anchors[2 * i] * inputSize;
            float ay = anchors[2 * i + 1] * inputSize;
            int o = i * COORDS;
            float cx = ax + regs[o];
            float cy = ay + regs[o + 1];
            float bw = regs[o + 2];
            float bh = regs[o + 3];
            if (!(bw > 0 && bh > 0)) {
                continue;
            }
            Box box = new Box((cx - bw / 2 - padX) / scale, (cy - bh / 2 - padY) / scale, bw / scale, bh / scale);
            float[] pts = new float[Landmarks.COUNT * 2];
            // eyes and nose: keypoints 0, 1, 2; mouth centre (3) in both mouth-corner slots.
            for (int k = 0; k < 4; k++) {
                float px = (ax + regs[o + 4 + 2 * k] - padX) / scale;
                float py = (ay + regs[o + 5 + 2 * k] - padY) / scale;
                pts[2 * k] = px;
                pts[2 * k + 1] = py;
            }
            pts[8] = pts[6];
            pts[9] = pts[7];
            candidates.add(new Detection(box, score, new Landmarks(pts)));
        }
        List<Detection> kept = WeightedNms.apply(candidates, config.nmsIou(), config.maxFaces());
        List<Detection> out = new ArrayList<>(kept.size());
        for (Detection d : kept) {
            Box clipped = d.box().clip(w, h);
            if (Math.min(clipped.w(), clipped.h()) >= config.minFaceSize()) {
                out.add(new Detection(clipped, d.score(), d.landmarks()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        boxed.release();
        // Net has no explicit release in the Java API; dropping the only reference lets its
        // native memory go at the next GC. Models are loaded once per worker, so this is rare.
    }
}
