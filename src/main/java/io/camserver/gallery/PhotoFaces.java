package io.camserver.gallery;

import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.vision.Detection;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAnalyzer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencv.core.Mat;

/**
 * Faces in an uploaded photo: every one named against the live gallery ({@code identify}), or the
 * largest one's embedding, to search the history by. The photo analyzer is the gallery service's
 * (both detectors, the flip pass), not thread-safe, so its use holds the service's lock.
 */
public final class PhotoFaces {
    private final Object lock;
    private final FaceAnalyzer analyzer;
    private final ImageDecoder uploads;
    private final LiveGallery live;

    PhotoFaces(Object lock, FaceAnalyzer analyzer, ImageDecoder uploads, LiveGallery live) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.uploads = Objects.requireNonNull(uploads, "uploads");
        this.live = Objects.requireNonNull(live, "live");
    }

    /** One face of an identified photo, in the CLI's JSON shape. */
    public record Identified(int[] box, float score, String name, float similarity) {
    }

    public record Identification(int width, int height, List<Identified> faces) {
    }

    /** Names every face in a photo against the live gallery, one person at most once. */
    public Identification identify(byte[] photo) throws ImageDecodeException {
        synchronized (lock) {
            Mat img = uploads.decode(photo);
            try {
                List<Identified> out = new ArrayList<>();
                List<Detection> found = sortedLeftToRight(analyzer.detect(img));
                List<Match> matches = new ArrayList<>();
                for (Detection d : found) {
                    matches.add(live.match(analyzer.embed(img, d)));
                }
                matches = OnePerFrame.assign(matches, live.config(), Map.of()); // one person at most once in a photo
                for (int i = 0; i < found.size(); i++) {
                    Detection d = found.get(i);
                    Match m = matches.get(i);
                    var b = d.box();
                    out.add(new Identified(new int[] {Math.round(b.x()), Math.round(b.y()), Math.round(b.w()), Math.round(b.h())}, d.score(),
                            m.displayName(), m.similarity()));
                }
                return new Identification(img.cols(), img.rows(), out);
            } finally {
                img.release();
            }
        }
    }

    /** The embedding of the photo's largest face (the one a person means when they drop a photo), if it has one. */
    public Optional<Embedding> largestFace(byte[] photo) throws ImageDecodeException {
        synchronized (lock) {
            Mat img = uploads.decode(photo);
            try {
                return analyzer.detect(img).stream().max(Comparator.comparingDouble((Detection d) -> d.box().w() * d.box().h()))
                        .map(d -> analyzer.embed(img, d));
            } finally {
                img.release();
            }
        }
    }

    static List<Detection> sortedLeftToRight(List<Detection> faces) {
        return faces.stream().sorted(Comparator.comparingDouble((Detection d) -> d.box().x())).toList();
    }
}
