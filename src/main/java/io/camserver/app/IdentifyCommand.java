package io.camserver.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.Match;
import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.models.ModelStore;
import io.camserver.vision.Detection;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * {@code camserver identify [--gallery DIR] IMAGE...}: one JSON line per readable image on
 * stdout; one line per unreadable image on stderr; exit 2 if any image was unreadable.
 */
final class IdentifyCommand {
    static final String USAGE = """
            usage: camserver identify [--gallery DIR] [options] IMAGE...
              Finds every face in each IMAGE and names it from the gallery, or says "unknown".
              Prints one JSON object per image:
                {"image": ..., "width": w, "height": h, "faces": [{"box": [x, y, w, h], "score": s, "name": n, "similarity": c}]}
              --gallery DIR           people to recognise, laid out as DIR/<Person Name>/*.jpg
            """ + VisionOptions.help();

    /** One line of output; field order is the documented order. */
    record ImageResult(String image, int width, int height, List<FaceResult> faces) {
    }

    record FaceResult(int[] box, double score, String name, double similarity) {
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    IdentifyCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> argv) {
        Args args = new Args(argv, Stream.concat(VisionOptions.VALUED.stream(), Stream.of("gallery")).collect(Collectors.toSet()),
                Set.copyOf(VisionOptions.BOOLEANS));
        if (args.positionals().isEmpty()) {
            throw new UsageException("identify needs at least one IMAGE\n" + USAGE);
        }
        VisionOptions opts = VisionOptions.from(args, env, true);
        ModelStore store = new ModelStore(opts.modelsDir(), true, m -> err.println("camserver: " + m));
        VisionModels models = new VisionModels(store, opts.detector(), opts.embedder());
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        try (FaceAnalyzer analyzer = new FaceAnalyzer(models.newDetector(), models.aligner(), models.newEmbedder())) {
            EmbeddingIndex gallery = EmbeddingIndex.builder(models.embedderModelId(), opts.match()).build();
            if (args.value("gallery").isPresent()) {
                gallery = loadGallery(Path.of(args.value("gallery").get()), analyzer, decoder, models, opts);
            }
            int status = 0;
            for (String image : args.positionals()) {
                try {
                    out.println(json.writeValueAsString(identify(image, analyzer, decoder, gallery)));
                } catch (ImageDecodeException | IOException e) {
                    err.println("camserver: " + image + ": " + reason(e));
                    status = 2;
                }
            }
            out.flush();
            return status;
        } catch (IOException e) {
            err.println("camserver: " + e.getMessage());
            return 2;
        }
    }

    /**
     * {@code camserver eval --gallery DIR}: the calibration report of a gallery folder, the same
     * as {@code GET /api/calibration} gives for the server's gallery, as one JSON document.
     */
    int calibrate(List<String> argv) {
        Args args = new Args(argv, Stream.concat(VisionOptions.VALUED.stream(), Stream.of("gallery")).collect(Collectors.toSet()),
                Set.copyOf(VisionOptions.BOOLEANS));
        Path dir = Path.of(args.value("gallery").orElseThrow(() -> new UsageException("--gallery needs a folder")));
        if (!args.positionals().isEmpty()) {
            throw new UsageException("eval --gallery DIR takes no other folders (was " + args.positionals() + ")");
        }
        VisionOptions opts = VisionOptions.from(args, env, true);
        VisionModels models = new VisionModels(new ModelStore(opts.modelsDir(), true, m -> err.println("camserver: " + m)), opts.detector(),
                opts.embedder());
        try (FaceAnalyzer analyzer = new FaceAnalyzer(models.newDetector(), models.aligner(), models.newEmbedder())) {
            EmbeddingIndex gallery = loadGallery(dir, analyzer, new ImageDecoder(ImageLimits.DEFAULT), models, opts);
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(io.camserver.gallery.Calibration.of(gallery)));
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("camserver: " + e.getMessage());
            return 2;
        }
    }

    private EmbeddingIndex loadGallery(Path dir, FaceAnalyzer analyzer, ImageDecoder decoder, VisionModels models, VisionOptions opts)
            throws IOException {
        FolderImport.Report report = new FolderImport(analyzer, decoder).scan(dir);
        for (FolderImport.Outcome o : report.outcomes()) {
            switch (o) {
                case FolderImport.Rejected r -> err.println("camserver: gallery: " + r.file() + ": skipped: " + r.reason());
                case FolderImport.Enrolled e -> e.note().ifPresent(n -> err.println("camserver: gallery: " + e.file() + ": " + n));
            }
        }
        err.println("camserver: gallery: " + report.enrolled().size() + " samples of " + report.people() + " people from " + dir
                + (report.rejected().isEmpty() ? "" : ", " + report.rejected().size() + " files skipped"));
        return FolderImport.toIndex(report, models.embedderModelId(), opts.match());
    }

    private ImageResult identify(String image, FaceAnalyzer analyzer, ImageDecoder decoder, EmbeddingIndex gallery)
            throws IOException, ImageDecodeException {
        Path path = Path.of(image);
        if (Files.isDirectory(path)) {
            throw new IOException("is a folder, not an image");
        }
        Mat img = decoder.decode(decoder.readFile(path));
        try {
            List<FaceResult> faces = new ArrayList<>();
            List<Detection> found = analyzer.detect(img);
            List<Match> matches = new ArrayList<>();
            for (Detection d : found) {
                matches.add(gallery.match(analyzer.embed(img, d)));
            }
            matches = io.camserver.gallery.OnePerFrame.assign(matches, gallery.config(), java.util.Map.of()); // one person once per photo
            for (int i = 0; i < found.size(); i++) {
                Detection d = found.get(i);
                Match m = matches.get(i);
                faces.add(new FaceResult(new int[] {Math.round(d.box().x()), Math.round(d.box().y()),
                    Math.round(d.box().w()), Math.round(d.box().h())}, round3(d.score()), m.displayName(), round3(m.similarity())));
            }
            return new ImageResult(image, img.cols(), img.rows(), faces);
        } finally {
            img.release();
        }
    }

    private static double round3(float v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String reason(Exception e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            case JsonProcessingException j -> "cannot write result: " + j.getOriginalMessage();
            default -> e.getMessage();
        };
    }
}
