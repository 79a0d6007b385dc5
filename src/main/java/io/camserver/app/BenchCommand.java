package io.camserver.app;

import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.Person;
import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.image.MatScope;
import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelStore;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.Detection;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAligner;
import io.camserver.vision.FaceDetector;
import io.camserver.vision.FaceEmbedder;
import io.camserver.vision.opencv.OpenCvRuntime;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntConsumer;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * {@code camserver bench}: per-stage latency and single-core whole-frame throughput, printed.
 * Inputs are the pinned face-api demo photographs (real group photos) cut to 640x480 and
 * encoded at JPEG quality 90, as an ESP32-CAM sends them; nothing from the test fixtures.
 */
final class BenchCommand {
    static final String USAGE = """
            usage: camserver bench [--iterations N] [--threads N] [--people N] [--json] [--models-dir DIR]
              Prints milliseconds per stage (decode, detect, align+embed, match) and frames per second.
              --json           the table goes to stderr, and stdout gets one JSON line to paste (the machine,
                               its architecture and cores, Java, OpenCV, each stage's mean ms, frames per second)
              --iterations N   timed repetitions per stage (default 200)
              --threads N      OpenCV threads (default 1: the per-core figure)
              --people N       gallery size for the match stage (default 1000, 3 samples each)
            """;

    private PrintStream out;
    private final PrintStream err;
    /** Each stage's mean milliseconds, in the order timed (for --json). */
    private final Map<String, Double> means = new java.util.LinkedHashMap<>();
    private final Map<String, String> env;

    BenchCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> argv) {
        Args args = new Args(argv, Set.of("iterations", "threads", "people", "models-dir"), Set.of("json"));
        PrintStream result = out;
        boolean json = args.flag("json");
        if (json) {
            out = err; // the table, for whoever watches; the JSON line alone on stdout
        }
        int iterations = args.value("iterations").map(v -> Args.parseInt("--iterations", v)).orElse(200);
        int threads = args.value("threads").map(v -> Args.parseInt("--threads", v)).orElse(1);
        int peopleCount = args.value("people").map(v -> Args.parseInt("--people", v)).orElse(1000);
        if (iterations < 5 || threads < 1 || peopleCount < 1) {
            throw new UsageException("--iterations must be >= 5, --threads and --people >= 1");
        }
        Path root = Path.of(ServeCommand.settings(args, env).string("models.dir")); // --models-dir, else models.dir
        ModelStore store = new ModelStore(root, true, m -> err.println("camserver: " + m));
        OpenCvRuntime.setThreads(threads);

        List<byte[]> jpegs = new ArrayList<>();
        for (Path p : store.ensure(ModelCatalog.FACE_API_SAMPLES)) {
            jpegs.add(toVgaJpeg(p));
        }
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        List<Mat> frames = new ArrayList<>();
        for (byte[] j : jpegs) {
            try {
                frames.add(decoder.decode(j));
            } catch (ImageDecodeException e) {
                throw new IllegalStateException("bench input did not decode: " + e.getMessage(), e);
            }
        }

        out.printf(Locale.ROOT, "camserver bench: %s, %d cores, Java %s, OpenCV %s, OpenCV threads %d, %d iterations%n",
                cpuModel(), Runtime.getRuntime().availableProcessors(), Runtime.version(), OpenCvRuntime.version(), threads, iterations);
        out.printf(Locale.ROOT, "input: %d real group photos as 640x480 JPEG q90 (%d..%d bytes)%n", jpegs.size(),
                jpegs.stream().mapToInt(b -> b.length).min().orElse(0), jpegs.stream().mapToInt(b -> b.length).max().orElse(0));
        out.printf(Locale.ROOT, "%-46s %9s %9s %9s%n", "stage", "mean ms", "p50 ms", "p95 ms");

        report("decode 640x480 JPEG", iterations, i -> {
            try {
                decoder.decode(jpegs.get(i % jpegs.size())).release();
            } catch (ImageDecodeException e) {
                throw new IllegalStateException(e);
            }
        });

        report("decode 640x480 JPEG at 1/2 (detector input)", iterations, i -> decodeOrFail(decoder, jpegs.get(i % jpegs.size()), 2).release());

        VisionModels full = new VisionModels(store, DetectorConfig.defaults(), EmbedderConfig.defaults());
        int faceCount = 0;
        int reducedFaceCount = 0;
        for (DetectorConfig.Kind kind : List.of(DetectorConfig.Kind.BLAZEFACE_FULL, DetectorConfig.Kind.BLAZEFACE_LIVE,
                DetectorConfig.Kind.BLAZEFACE_SHORT, DetectorConfig.Kind.BLAZEFACE_DUAL)) {
            VisionModels vm = new VisionModels(store, DetectorConfig.defaults().withKind(kind, Optional.empty()), EmbedderConfig.defaults());
            try (FaceDetector det = vm.newDetector()) {
                // As the live pipeline runs it: on the frame decoded at the detector's scale.
                int r = det.reduction(640, 480);
                List<Mat> reduced = new ArrayList<>();
                for (byte[] j : jpegs) {
                    reduced.add(decodeOrFail(decoder, j, r));
                }
                if (kind == DetectorConfig.Kind.BLAZEFACE_FULL) {
                    report("detect 640x480 full size (" + kind.id() + ")", iterations, i -> det.detect(frames.get(i % frames.size())));
                    faceCount = frames.stream().mapToInt(f -> det.detect(f).size()).sum();
                    reducedFaceCount = reduced.stream().mapToInt(f -> det.detect(f, r).size()).sum();
                }
                report("detect 640x480 at 1/" + r + " (" + kind.id() + ")", iterations, i -> det.detect(reduced.get(i % reduced.size()), r));
                reduced.forEach(Mat::release);
            }
        }

        List<Mat> sources = new ArrayList<>();
        List<Detection> faces = new ArrayList<>();
        try (FaceDetector det = full.newDetector()) {
            for (Mat f : frames) {
                for (Detection d : det.detect(f)) {
                    sources.add(f);
                    faces.add(d);
                }
            }
        }
        if (faces.isEmpty()) {
            throw new IllegalStateException("no face found in the bench photos; cannot time embedding");
        }
        FaceAligner aligner = full.aligner();
        report("align 1 face", iterations, i -> aligner.align(sources.get(i % faces.size()), faces.get(i % faces.size())).close());
        VisionModels auto = new VisionModels(store, DetectorConfig.defaults(),
                new EmbedderConfig(EmbedderConfig.Kind.FR_FEATURE, Optional.empty(), false, EmbedderConfig.Backend.AUTO));
        out.println("embedder.backend auto would use " + auto.backend().describe());
        for (EmbedderConfig.Kind kind : List.of(EmbedderConfig.Kind.FR_FEATURE, EmbedderConfig.Kind.MOBILEFACENET))
        for (EmbedderConfig.Backend backend : List.of(EmbedderConfig.Backend.ONNXRUNTIME, EmbedderConfig.Backend.OPENCV)) {
            VisionModels vm = new VisionModels(store, DetectorConfig.defaults(), new EmbedderConfig(kind, Optional.empty(), false, backend));
            for (boolean flip : kind == EmbedderConfig.Kind.FR_FEATURE ? new boolean[] {false, true} : new boolean[] {false}) {
                try (FaceEmbedder emb = vm.newEmbedder(flip)) {
                    report("align+embed 1 face (" + (kind == EmbedderConfig.Kind.FR_FEATURE ? "" : kind.id() + ", ") + backend.id()
                            + (flip ? ", flip" : "") + ")", iterations, i -> {
                        try (AlignedFace a = aligner.align(sources.get(i % faces.size()), faces.get(i % faces.size()))) {
                            emb.embed(a);
                        }
                    });
                }
            }
        }

        EmbeddingIndex index = syntheticGallery(full.embedderModelId(), peopleCount, 3);
        Embedding probe = randomUnit(new Random(7), 512, full.embedderModelId());
        double plain = report("match vs " + peopleCount + " people x3 samples", Math.max(iterations, 1000), i -> index.match(probe));
        // Corrections: as many negative examples as people (one each), which only the leading candidates' cost.
        EmbeddingIndex corrected = syntheticGallery(full.embedderModelId(), peopleCount, 3, peopleCount);
        double withNegatives = report("match, + " + peopleCount + " negative examples", Math.max(iterations, 1000), i -> corrected.match(probe));
        out.printf(Locale.ROOT, "%-46s %9.2f (goal: at most 1.2)%n", "  negatives' cost, median ratio", withNegatives / plain);
        // The history's faces: search by face, and the scan that names past sightings (100,000 sightings).
        io.camserver.history.SightingIndex sightings = new io.camserver.history.SightingIndex();
        Random sr = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            sightings.add("e" + i, i, i % 3 == 0 ? "p" : null, randomUnit(sr, 512, full.embedderModelId()).unsafeVector());
        }
        List<float[]> personSamples = List.of(randomUnit(sr, 512, "m").unsafeVector(), randomUnit(sr, 512, "m").unsafeVector(),
                randomUnit(sr, 512, "m").unsafeVector());
        report("search by face, 100,000 sightings (goal 200)", Math.max(iterations / 10, 10), i -> sightings.search(probe.unsafeVector(), 50, 0.25f));
        report("rescan scan, 100,000 sightings x3 samples", Math.max(iterations / 10, 10), i -> sightings.unknownLike(personSamples, 0.38f, 0));

        // Live settings: full-range detector, no flip pass.
        try (var analyzer = new io.camserver.vision.FaceAnalyzer(full.newDetector(), aligner, full.newEmbedder(false))) {
            int warm = Math.min(20, iterations);
            for (int i = 0; i < warm; i++) {
                wholeFrame(decoder, analyzer, index, jpegs.get(i % jpegs.size()));
            }
            int n = Math.max(iterations / 2, 10);
            long t0 = System.nanoTime();
            int seen = 0;
            for (int i = 0; i < n; i++) {
                seen += wholeFrame(decoder, analyzer, index, jpegs.get(i % jpegs.size()));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "whole frame (decode+detect+embed every face+match), %d OpenCV thread(s): %.1f frames/s, "
                    + "%.1f ms/frame, %.1f faces/frame%n", threads, n / secs, secs * 1000 / n, (double) seen / n);
            means.put("whole frame ms", secs * 1000 / n);
            means.put("whole frame fps", n / secs);
        }
        out.printf(Locale.ROOT, "faces in the %d bench frames (blazeface-full): %d at full size, %d at the detector's scale%n", frames.size(),
                faceCount, reducedFaceCount);
        frames.forEach(Mat::release);
        if (json) {
            Map<String, Object> line = new java.util.LinkedHashMap<>();
            line.put("cpu", cpuModel());
            line.put("arch", System.getProperty("os.arch"));
            line.put("cores", Runtime.getRuntime().availableProcessors());
            line.put("java", Runtime.version().toString());
            line.put("opencv", OpenCvRuntime.version());
            line.put("opencvThreads", threads);
            line.put("embedderAuto", auto.backend().describe());
            Map<String, Double> rounded = new java.util.LinkedHashMap<>();
            means.forEach((k, v) -> rounded.put(k, Math.round(v * 1000) / 1000.0));
            line.put("ms", rounded);
            try {
                result.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("bench figures did not serialise: " + e.getMessage(), e);
            }
        }
        return 0;
    }

    private static Mat decodeOrFail(ImageDecoder decoder, byte[] jpeg, int reduction) {
        try {
            return decoder.decode(jpeg, reduction);
        } catch (ImageDecodeException e) {
            throw new IllegalStateException("bench input did not decode: " + e.getMessage(), e);
        }
    }

    private static int wholeFrame(ImageDecoder decoder, io.camserver.vision.FaceAnalyzer analyzer, EmbeddingIndex index, byte[] jpeg) {
        try {
            Mat m = decoder.decode(jpeg);
            try {
                List<io.camserver.vision.FaceAnalyzer.Face> found = analyzer.analyze(m);
                for (var f : found) {
                    index.match(f.embedding());
                }
                return found.size();
            } finally {
                m.release();
            }
        } catch (ImageDecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Times {@code body} and prints mean, median and p95 in ms; returns the median. */
    private double report(String stage, int iterations, IntConsumer body) {
        int warmup = Math.max(10, iterations / 5);
        for (int i = 0; i < warmup; i++) {
            body.accept(i);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            body.accept(i);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        means.put(stage, mean);
        Arrays.sort(ms);
        out.printf(Locale.ROOT, "%-46s %9.3f %9.3f %9.3f%n", stage, mean, ms[ms.length / 2], ms[(int) Math.floor(ms.length * 0.95)]);
        return ms[ms.length / 2];
    }

    static EmbeddingIndex syntheticGallery(String modelId, int people, int samplesEach) {
        return syntheticGallery(modelId, people, samplesEach, 0);
    }

    /** Random people, and {@code negatives} negative examples spread over them. */
    static EmbeddingIndex syntheticGallery(String modelId, int people, int samplesEach, int negatives) {
        Random r = new Random(42);
        EmbeddingIndex.Builder b = EmbeddingIndex.builder(modelId, new io.camserver.gallery.MatchConfig(0.4f, 0.05f));
        for (int p = 0; p < people; p++) {
            Person person = new Person("p" + p, "person " + p);
            for (int s = 0; s < samplesEach; s++) {
                b.add(person, randomUnit(r, 512, modelId));
            }
        }
        for (int n = 0; n < negatives; n++) {
            b.negative(new Person("p" + (n % people), "person " + (n % people)), randomUnit(r, 512, modelId));
        }
        return b.build();
    }

    private static Embedding randomUnit(Random r, int dim, String modelId) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Embedding.normalized(v, modelId);
    }

    /** Centre-crops to 4:3, scales to 640x480 and encodes at quality 90, like an ESP32-CAM frame. */
    private static byte[] toVgaJpeg(Path photo) {
        try (MatScope s = new MatScope()) {
            Mat src = s.add(Imgcodecs.imread(photo.toString()));
            if (src.empty()) {
                throw new IllegalStateException("cannot read bench photo " + photo);
            }
            int w = src.cols();
            int h = src.rows();
            int cw = Math.min(w, h * 4 / 3);
            int ch = Math.min(h, w * 3 / 4);
            Mat crop = s.add(src.submat(new Rect((w - cw) / 2, (h - ch) / 2, cw, ch)));
            Mat vga = s.mat();
            Imgproc.resize(crop, vga, new Size(640, 480), 0, 0, Imgproc.INTER_AREA);
            MatOfByte buf = s.add(new MatOfByte());
            Imgcodecs.imencode(".jpg", vga, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return buf.toArray();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
