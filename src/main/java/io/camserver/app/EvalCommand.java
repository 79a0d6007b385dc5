package io.camserver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.camserver.eval.Evaluation;
import io.camserver.eval.Identification;
import io.camserver.eval.PairStats;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.MatchConfig;
import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.models.ModelStore;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAligner;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.FaceEmbedder;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opencv.core.Mat;

/**
 * {@code camserver eval DIR}: how well each embedder tells people apart on a labelled folder
 * ({@code DIR/<Person>/*.jpg}), in the figures docs/recognition.md publishes: verification (TAR at FAR,
 * the similarity distributions, the FAR 1e-3 threshold) and open-set identification as the live
 * server does it (rank-1, named right or wrong, strangers left unknown). Faces are picked as
 * enrolment picks them (the dominant face of each photo, found by the still-photo detector).
 */
final class EvalCommand {
    static final String USAGE = """
            usage: camserver eval --gallery DIR [--threshold T] [--models-dir DIR]
              The gallery's calibration, as GET /api/calibration gives the server's: genuine and impostor similarity
              percentiles, the people who look most alike, a suggested threshold, warnings; one JSON document.
            usage: camserver eval DIR... [--strangers DIR] [--enroll 1,3] [--leave-out N] [--embedders fr-feature,mobilefacenet]
                                         [--flip off,on] [--threshold T] [--margin M] [--grey] [--json] [--models-dir DIR]
              Each DIR holds one folder per person (DIR/<Person>/*.jpg|png|...), any number of images each; the same
              person's folders in several DIRs are one person. --strangers DIR: photos of people in none of them (any
              layout, every face used): impostors against every labelled face, probes that should stay unknown.
              For each embedder (and the two combined), with the flip pass off and on, prints:
                verification over all pairs: TAR at FAR 1e-2 and 1e-3, the threshold for FAR 1e-3, d' (decidability),
                the highest impostor pair, and the genuine and impostor similarity percentiles (a FAR under one
                impostor pair is marked as not measurable);
                identification: the first k images of each person enrolled (--enroll, default 1 and 3), the rest
                probed; --leave-out N people at a time (default 2; folds rotate through everyone) are strangers,
                whose probes should stay unknown; matched at each model's default threshold (or --threshold)
                and match.margin (or --margin);
                each person's weakest sample (least like their others).
              --grey: every face made grey before it is embedded (colour cameras against a grey gallery, compared
              with colour dropped on both sides). --embedders also takes dlib (dlib's ResNet, the seed demo's).
              --json prints one JSON document instead.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    EvalCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** The whole report, as printed with --json. */
    record Report(List<String> dirs, String strangers, int people, int files, int faces, int strangerFaces, List<Skipped> skipped,
                  List<Evaluation> evaluations) {
    }

    /** A face to embed: whose (null for a stranger), where, and the detection picked. */
    private record Pick(String person, Path file, io.camserver.vision.Detection face) {
    }

    private static boolean imageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp") || n.endsWith(".webp");
    }

    record Skipped(String file, String reason) {
    }

    int run(List<String> argv) throws IOException {
        if (argv.contains("--gallery") || argv.stream().anyMatch(a -> a.startsWith("--gallery="))) {
            return new IdentifyCommand(out, err, env).calibrate(argv);
        }
        Args args = new Args(argv, Set.of("enroll", "leave-out", "embedders", "flip", "threshold", "margin", "strangers", "models-dir", "config"),
                Set.of("json", "grey"));
        if (args.positionals().isEmpty()) {
            throw new UsageException("eval needs a labelled folder\n" + USAGE);
        }
        List<Path> dirs = args.positionals().stream().map(Path::of).toList();
        Optional<Path> strangers = args.value("strangers").map(Path::of);
        if (strangers.isPresent() && !java.nio.file.Files.isDirectory(strangers.get())) {
            throw new UsageException("--strangers " + strangers.get() + " is not a folder");
        }
        List<Integer> enroll = Arrays.stream(args.value("enroll").orElse("1,3").split(",")).map(v -> Args.parseInt("--enroll", v)).toList();
        if (enroll.stream().anyMatch(k -> k < 1)) {
            throw new UsageException("--enroll values must be >= 1, were " + enroll);
        }
        int leaveOut = args.value("leave-out").map(v -> Args.parseInt("--leave-out", v)).orElse(2);
        if (leaveOut < 0) {
            throw new UsageException("--leave-out must be >= 0, was " + leaveOut);
        }
        List<EmbedderConfig.Kind> kinds = new ArrayList<>();
        for (String k : args.value("embedders").orElse("fr-feature,mobilefacenet").split(",")) {
            try {
                kinds.add(EmbedderConfig.Kind.parse(k));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (kinds.contains(EmbedderConfig.Kind.SFACE)) {
            throw new UsageException("--embedders: sface needs its model file; evaluate it with identify's options instead");
        }
        List<Boolean> flips = new ArrayList<>();
        for (String f : args.value("flip").orElse("off,on").split(",")) {
            switch (f.trim()) {
                case "off" -> flips.add(false);
                case "on" -> flips.add(true);
                default -> throw new UsageException("--flip takes off, on or off,on (was " + f + ")");
            }
        }
        Optional<Float> threshold = args.value("threshold").map(v -> Args.parseFloat("--threshold", v));
        float margin = args.value("margin").map(v -> Args.parseFloat("--margin", v)).orElse(0.05f);

        Path modelsDir = Path.of(ServeCommand.settings(args, env).string("models.dir"));
        ModelStore store = new ModelStore(modelsDir, true, m -> err.println("camserver: " + m));
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        Map<EmbedderConfig.Kind, VisionModels> models = new LinkedHashMap<>();
        for (EmbedderConfig.Kind k : kinds) {
            models.put(k, new VisionModels(store, DetectorConfig.stillDefaults(), new EmbedderConfig(k, Optional.empty(), false,
                    EmbedderConfig.Backend.AUTO)));
        }
        VisionModels first = models.values().iterator().next();

        // The faces, picked as enrolment picks them (people merge by folder name across DIRs),
        // plus every face in the strangers' photos; then each embedded every way.
        List<Pick> picks = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<String> people = new java.util.TreeSet<>();
        int files = 0;
        try (FaceAnalyzer picker = new FaceAnalyzer(first.newDetector(), first.aligner(), first.newEmbedder(false))) {
            for (Path dir : dirs) {
                FolderImport.Report scan = new FolderImport(picker, decoder).scan(dir);
                files += scan.outcomes().size();
                scan.rejected().forEach(r -> skipped.add(new Skipped(r.file().toString(), r.reason())));
                for (FolderImport.Enrolled e : scan.enrolled()) {
                    people.add(e.person().name());
                    picks.add(new Pick(e.person().name(), e.file(), e.face()));
                }
            }
            if (strangers.isPresent()) {
                List<Path> photos;
                try (var walk = java.nio.file.Files.walk(strangers.get())) {
                    photos = walk.filter(java.nio.file.Files::isRegularFile).filter(EvalCommand::imageName).sorted().toList();
                }
                for (Path photo : photos) {
                    files++;
                    try {
                        Mat img = decoder.decode(decoder.readFile(photo));
                        try {
                            List<io.camserver.vision.Detection> found = picker.detect(img);
                            if (found.isEmpty()) {
                                skipped.add(new Skipped(photo.toString(), "no face found"));
                            }
                            found.forEach(d -> picks.add(new Pick(null, photo, d)));
                        } finally {
                            img.release();
                        }
                    } catch (ImageDecodeException | IOException e) {
                        skipped.add(new Skipped(photo.toString(), e.getMessage()));
                    }
                }
            }
        }
        skipped.forEach(s -> err.println("camserver: eval: " + s.file() + ": skipped: " + s.reason()));
        long labelled = picks.stream().filter(p -> p.person() != null).count();
        if (labelled < 2) {
            throw new UsageException("eval needs at least 2 usable labelled faces in " + dirs + ", found " + labelled);
        }
        Map<String, List<Evaluation.Face>> embedded = new LinkedHashMap<>();
        Map<String, Long> nanos = new LinkedHashMap<>();
        FaceAligner aligner = first.aligner();
        Map<String, FaceEmbedder> embedders = new LinkedHashMap<>();
        try {
            for (var e : models.entrySet()) {
                for (boolean flip : flips) {
                    embedders.put(key(e.getKey().id(), flip), e.getValue().newEmbedder(flip));
                }
            }
            boolean grey = args.flag("grey");
            for (Pick f : picks) {
                Mat img = decoder.decode(decoder.readFile(f.file()));
                if (grey) {
                    // Both sides grey: what a colour camera against a grey gallery gains by dropping colour.
                    org.opencv.imgproc.Imgproc.cvtColor(img, img, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
                    org.opencv.imgproc.Imgproc.cvtColor(img, img, org.opencv.imgproc.Imgproc.COLOR_GRAY2BGR);
                }
                try (AlignedFace face = aligner.align(img, f.face())) {
                    for (var e : embedders.entrySet()) {
                        long t0 = System.nanoTime();
                        Embedding v = e.getValue().embed(face);
                        nanos.merge(e.getKey(), System.nanoTime() - t0, Long::sum);
                        embedded.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Evaluation.Face(f.person(), f.file().toString(), v));
                    }
                } finally {
                    img.release();
                }
            }
        } catch (ImageDecodeException e) {
            throw new IOException("an image that enrolled no longer decodes: " + e.getMessage(), e);
        } finally {
            embedders.values().forEach(FaceEmbedder::close);
        }

        List<Evaluation> evaluations = new ArrayList<>();
        for (EmbedderConfig.Kind k : kinds) {
            for (boolean flip : flips) {
                String key = key(k.id(), flip);
                MatchConfig match = new MatchConfig(threshold.orElse(k.defaultThreshold()), margin);
                evaluations.add(Evaluation.of(k.id(), flip, nanos.get(key) / 1e6 / picks.size(), embedded.get(key), enroll, leaveOut, match));
            }
        }
        if (kinds.size() == 2) {
            EmbedderConfig.Kind a = kinds.get(0);
            EmbedderConfig.Kind b = kinds.get(1);
            String name = a.id() + "+" + b.id();
            for (boolean flip : flips) {
                List<Evaluation.Face> fa = embedded.get(key(a.id(), flip));
                List<Evaluation.Face> fb = embedded.get(key(b.id(), flip));
                List<Evaluation.Face> combined = new ArrayList<>();
                for (int i = 0; i < fa.size(); i++) {
                    combined.add(new Evaluation.Face(fa.get(i).person(), fa.get(i).file(),
                            Evaluation.combine(fa.get(i).embedding(), fb.get(i).embedding(), name)));
                }
                double ms = (nanos.get(key(a.id(), flip)) + nanos.get(key(b.id(), flip))) / 1e6 / picks.size();
                MatchConfig match = new MatchConfig(threshold.orElse((a.defaultThreshold() + b.defaultThreshold()) / 2), margin);
                evaluations.add(Evaluation.of(name, flip, ms, combined, enroll, leaveOut, match));
            }
        }
        Report report = new Report(dirs.stream().map(Path::toString).toList(), strangers.map(Path::toString).orElse(null), people.size(),
                files, (int) labelled, picks.size() - (int) labelled, skipped, evaluations);
        if (args.flag("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            print(report);
        }
        return 0;
    }

    private static String key(String kind, boolean flip) {
        return kind + (flip ? "+flip" : "");
    }

    private void print(Report r) {
        out.printf(Locale.ROOT, "camserver eval: %s: %d people, %d labelled faces; %s; %d files, %d skipped%n", String.join(" + ", r.dirs()),
                r.people(), r.faces(), r.strangers() == null ? "no strangers' photos" : r.strangerFaces() + " stranger faces in " + r.strangers(),
                r.files(), r.skipped().size());
        Evaluation e0 = r.evaluations().get(0);
        out.printf(Locale.ROOT, "pairs: %d genuine, %d impostor (FAR below 1/%d is not measurable on this set)%n",
                e0.pairs().genuine().count(), e0.pairs().impostor().count(), e0.pairs().impostor().count());
        out.println();
        out.println("verification (all pairs)");
        out.printf(Locale.ROOT, "%-28s %5s %4s %8s %13s %13s %10s %7s %10s%n", "embedder", "flip", "dim", "ms/face", "TAR@FAR=1e-2",
                "TAR@FAR=1e-3", "thr@1e-3", "d'", "max imp.");
        for (Evaluation e : r.evaluations()) {
            PairStats.AtFar a = e.pairs().atFar().get(0);
            PairStats.AtFar b = e.pairs().atFar().get(1);
            out.printf(Locale.ROOT, "%-28s %5s %4d %8.2f %13s %13s %10.3f %7.2f %10.3f%s%n", e.embedder(), e.flip() ? "on" : "off",
                    e.dimension(), e.msPerFace(), tar(a), tar(b), b.threshold(), e.pairs().dPrime(), e.pairs().impostor().max(),
                    b.resolved() ? "" : "  (* FAR not measurable: threshold is the max impostor)");
        }
        out.println();
        out.println("similarity percentiles            min     p1     p5    p25    p50    p75    p95    p99    max");
        for (Evaluation e : r.evaluations()) {
            dist(e.embedder() + (e.flip() ? " flip" : "") + " genuine", e.pairs().genuine());
            dist(e.embedder() + (e.flip() ? " flip" : "") + " impostor", e.pairs().impostor());
        }
        out.println();
        out.println("identification (first k images enrolled, the rest probed; strangers left out in rotating folds)");
        out.printf(Locale.ROOT, "%-28s %5s %3s %9s %7s %7s %11s %11s %10s %14s%n", "embedder", "flip", "k", "threshold", "probes", "rank-1",
                "named right", "named wrong", "strangers", "left unknown");
        for (Evaluation e : r.evaluations()) {
            for (Identification i : e.identification()) {
                out.printf(Locale.ROOT, "%-28s %5s %3d %9.3f %7d %7s %11s %11s %10d %14s%n", e.embedder(), e.flip() ? "on" : "off", i.enroll(),
                        e.threshold(), i.probes(), pct(i.rank1()), pct(i.namedRight()), pct(i.namedWrong()), i.strangerProbes(),
                        pct(i.unknownRight()));
            }
        }
        out.println();
        out.println("weakest sample per person (mean similarity to the person's other samples), " + e0.embedder()
                + (e0.flip() ? " flip" : ""));
        for (Evaluation.Weakest w : e0.weakest()) {
            out.printf(Locale.ROOT, "  %-20s %-40s %.3f%n", w.person(), w.file(), w.meanToOthers());
        }
    }

    private void dist(String label, PairStats.Distribution d) {
        out.printf(Locale.ROOT, "%-32s %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f%n", label, d.min(), d.p1(), d.p5(), d.p25(),
                d.p50(), d.p75(), d.p95(), d.p99(), d.max());
    }

    private static String tar(PairStats.AtFar a) {
        return Double.isNaN(a.tar()) ? "-" : String.format(Locale.ROOT, "%.3f%s", a.tar(), a.resolved() ? "" : "*");
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
