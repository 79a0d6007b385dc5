package io.camserver.gallery;

import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.vision.Detection;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * Reads the demo's gallery layout, {@code <dir>/<Person Name>/*.jpg|jpeg|png|bmp|webp}: the
 * folder name is the person (spaces allowed). Every file gets a verdict; nothing is skipped
 * silently.
 */
public final class FolderImport {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp");
    /** A photo with several faces is still usable when one face clearly dominates it. */
    private static final float DOMINANT_AREA_RATIO = 2.0f;

    /** What happened to one file. */
    public sealed interface Outcome permits Enrolled, Rejected {
        Path file();
    }

    /** @param note non-empty when the file was usable with a caveat (e.g. other faces ignored) */
    public record Enrolled(Path file, Person person, Detection face, Embedding embedding, Optional<String> note) implements Outcome {
    }

    public record Rejected(Path file, String reason) implements Outcome {
    }

    /** The outcome of a whole folder. */
    public record Report(Path dir, List<Outcome> outcomes) {
        public Report {
            outcomes = List.copyOf(outcomes);
        }

        public List<Enrolled> enrolled() {
            return outcomes.stream().filter(Enrolled.class::isInstance).map(Enrolled.class::cast).toList();
        }

        public List<Rejected> rejected() {
            return outcomes.stream().filter(Rejected.class::isInstance).map(Rejected.class::cast).toList();
        }

        public long people() {
            return enrolled().stream().map(e -> e.person().id()).distinct().count();
        }
    }

    private final FaceAnalyzer analyzer;
    private final ImageDecoder decoder;

    public FolderImport(FaceAnalyzer analyzer, ImageDecoder decoder) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /** Scans {@code dir}; the folder itself not existing is an error, not an empty gallery. */
    public Report scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("gallery folder " + dir + " does not exist or is not a folder");
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path entry : entries) {
            if (!Files.isDirectory(entry)) {
                outcomes.add(new Rejected(entry, "not inside a person folder; expected <gallery>/<Person Name>/<image>"));
                continue;
            }
            String name = entry.getFileName().toString().strip();
            Person person = new Person(name, name);
            List<Path> files;
            try (Stream<Path> s = Files.list(entry)) {
                files = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(Comparator.naturalOrder()).toList();
            }
            if (files.isEmpty()) {
                outcomes.add(new Rejected(entry, "person folder has no images"));
            }
            for (Path f : files) {
                outcomes.add(enrollFile(person, f));
            }
        }
        return new Report(dir, outcomes);
    }

    /** Builds an index from a report's enrolled samples. */
    public static EmbeddingIndex toIndex(Report report, String modelId, MatchConfig config) {
        EmbeddingIndex.Builder b = EmbeddingIndex.builder(modelId, config);
        for (Enrolled e : report.enrolled()) {
            b.add(e.person(), e.embedding());
        }
        return b.build();
    }

    private Outcome enrollFile(Person person, Path f) {
        if (Files.isDirectory(f)) {
            return new Rejected(f, "nested folder ignored; put images directly in the person's folder");
        }
        String lower = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (EXTENSIONS.stream().noneMatch(lower::endsWith)) {
            return new Rejected(f, "not an image file name (expected .jpg, .jpeg, .png, .bmp or .webp)");
        }
        Mat img;
        try {
            img = decoder.decode(decoder.readFile(f));
        } catch (IOException e) {
            return new Rejected(f, "cannot read: " + e.getMessage());
        } catch (ImageDecodeException e) {
            return new Rejected(f, e.getMessage());
        }
        try {
            List<Detection> faces = analyzer.detect(img);
            if (faces.isEmpty()) {
                return new Rejected(f, "no face found");
            }
            List<Detection> bySize = faces.stream().sorted(Comparator.comparingDouble((Detection d) -> d.box().area()).reversed()).toList();
            Optional<String> note = Optional.empty();
            if (bySize.size() > 1) {
                float ratio = bySize.get(0).box().area() / Math.max(1f, bySize.get(1).box().area());
                if (ratio < DOMINANT_AREA_RATIO) {
                    return new Rejected(f, faces.size() + " faces of similar size; cannot tell which one is " + person.name()
                            + " (crop the photo to one face)");
                }
                note = Optional.of(faces.size() + " faces; enrolled the largest (" + String.format(Locale.ROOT, "%.1f", ratio)
                        + "x the next)");
            }
            Detection face = bySize.get(0);
            return new Enrolled(f, person, face, analyzer.embed(img, face), note);
        } finally {
            img.release();
        }
    }
}
