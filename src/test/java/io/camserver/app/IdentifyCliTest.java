package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.support.Fixtures;
import io.camserver.support.SceneTruth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identify command as a user runs it: real files, real models, JSON lines out. */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class IdentifyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int status, List<String> out, List<String> err) {
    }

    private static Run identify(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>();
        argv.add("identify");
        argv.addAll(args);
        int status = Main.run(argv, System.getenv(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static Path peopleGallery(Path root, int from, int to) throws Exception {
        for (String p : Fixtures.people()) {
            Path dir = Files.createDirectories(root.resolve(p));
            for (int i = from; i <= to; i++) {
                Files.copy(Fixtures.person(p, i), dir.resolve(p + i + ".png"));
            }
        }
        return root;
    }

    @Test
    void printsOneJsonLinePerImageInTheDocumentedShape(@TempDir Path tmp) throws Exception {
        Path gallery = peopleGallery(tmp.resolve("g"), 1, 3);
        List<String> images = new ArrayList<>();
        for (String p : Fixtures.people()) {
            images.add(Fixtures.person(p, 4).toString());
            images.add(Fixtures.person(p, 5).toString());
        }
        List<String> args = new ArrayList<>(List.of("--gallery", gallery.toString()));
        args.addAll(images);
        Run r = identify(args);
        assertEquals(0, r.status(), r.err().toString());
        assertEquals(16, r.out().size());
        for (int i = 0; i < images.size(); i++) {
            JsonNode j = JSON.readTree(r.out().get(i));
            assertEquals(List.of("image", "width", "height", "faces"), fieldNames(j));
            assertEquals(images.get(i), j.get("image").asText(), "the path exactly as given");
            assertEquals(150, j.get("width").asInt());
            JsonNode face = j.get("faces").get(0);
            assertEquals(List.of("box", "score", "name", "similarity"), fieldNames(face));
            assertEquals(4, face.get("box").size());
            String expected = Path.of(images.get(i)).getParent().getFileName().toString();
            assertEquals(expected, face.get("name").asText(), r.out().get(i));
            assertTrue(face.get("similarity").asDouble() > 0.4, r.out().get(i));
        }
        assertTrue(r.err().stream().anyMatch(l -> l.equals("camserver: gallery: 24 samples of 8 people from " + gallery)), r.err().toString());
    }

    @Test
    void groupSceneBoxesAreInSourcePixelsAndNamed(@TempDir Path tmp) throws Exception {
        Path gallery = peopleGallery(tmp.resolve("g"), 1, 5);
        SceneTruth truth = SceneTruth.load("group-4");
        Run r = identify(List.of("--gallery", gallery.toString(), truth.image().toString()));
        assertEquals(0, r.status());
        JsonNode j = JSON.readTree(r.out().get(0));
        assertEquals(710, j.get("width").asInt());
        assertEquals(473, j.get("height").asInt());
        assertEquals(6, j.get("faces").size());
        for (SceneTruth.Face f : truth.faces()) {
            JsonNode hit = null;
            for (JsonNode face : j.get("faces")) {
                JsonNode b = face.get("box");
                int x = b.get(0).asInt();
                int y = b.get(1).asInt();
                if (f.cx() >= x && f.cx() <= x + b.get(2).asInt() && f.cy() >= y && f.cy() <= y + b.get(3).asInt()) {
                    hit = face;
                }
            }
            assertTrue(hit != null, "no box around " + f.name());
            assertEquals(f.name(), hit.get("name").asText());
        }
    }

    @Test
    void badFilesGetOneLineEachExitTwoAndTheRestAreStillProcessed(@TempDir Path tmp) throws Exception {
        byte[] scene = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
        Path truncated = Files.write(tmp.resolve("truncated.jpg"), Arrays.copyOf(scene, scene.length / 3));
        Path text = Files.writeString(tmp.resolve("letter.jpg"), "Dear camserver,\nthis is not a picture.\n");
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        Path missing = tmp.resolve("missing.jpg");
        Path bomb = Files.write(tmp.resolve("big.webp"), io.camserver.support.TestImages.webpBomb(16000, 16000));
        Path good = Fixtures.person("amy", 4);
        Run r = identify(List.of(truncated.toString(), good.toString(), text.toString(), empty.toString(), missing.toString(), tmp.toString(),
                bomb.toString()));
        assertEquals(2, r.status());
        assertEquals(1, r.out().size(), "the good image is still processed");
        assertEquals(good.toString(), JSON.readTree(r.out().get(0)).get("image").asText());
        assertEquals("unknown", JSON.readTree(r.out().get(0)).get("faces").get(0).get("name").asText(), "no gallery: unknown");
        List<String> err = r.err().stream().filter(l -> !l.startsWith("camserver: fetching")).toList();
        assertEquals(6, err.size(), err.toString());
        assertTrue(err.get(0).startsWith("camserver: " + truncated + ": truncated JPEG"), err.get(0));
        assertTrue(err.get(1).startsWith("camserver: " + text + ": not a supported image"), err.get(1));
        assertEquals("camserver: " + empty + ": empty file (0 bytes)", err.get(2));
        assertEquals("camserver: " + missing + ": no such file", err.get(3));
        assertEquals("camserver: " + tmp + ": is a folder, not an image", err.get(4));
        assertEquals("camserver: " + bomb + ": WEBP declares 16000x16000 = 256000000 pixels, over the limit of 40000000", err.get(5),
                "a decompression bomb is refused from its header, not decoded into 1 GB");
        for (String line : r.err()) {
            assertFalse(line.contains("Exception") || line.startsWith("\tat "), "no stack traces: " + line);
        }
    }

    @Test
    void usageErrorsExitSixtyFourWithAReason() {
        Run none = identify(List.of());
        assertEquals(64, none.status());
        assertTrue(none.err().get(0).startsWith("camserver: identify needs at least one IMAGE"), none.err().toString());
        Run bad = identify(List.of("--threshold", "high", "x.jpg"));
        assertEquals(64, bad.status());
        assertEquals("camserver: match.threshold must be a number (was 'high' from --threshold)", bad.err().get(0));
        Run yunet = identify(List.of("--detector", "yunet", "x.jpg"));
        assertEquals(64, yunet.status());
        assertTrue(yunet.err().get(0).startsWith("camserver: detector.model is required for detector.kind=yunet"), yunet.err().toString());
        Run typo = identify(List.of("--galery", "x", "y.jpg"));
        assertEquals("camserver: unknown option --galery", typo.err().get(0));
    }

    @Test
    void aUserSuppliedModelFileThatIsMissingIsNamed(@TempDir Path tmp) {
        Path nope = tmp.resolve("face_detection_yunet_2023mar.onnx");
        Run r = identify(List.of("--detector", "yunet", "--detector-model", nope.toString(), Fixtures.person("amy", 1).toString()));
        assertEquals(1, r.status());
        assertEquals("camserver: detector.model: model file " + nope + " does not exist or is not a file", r.err().get(0));
    }

    /** The launcher script itself: finds a JDK >= 21 and runs the CLI (the README's first command). */
    @Test
    void launcherScriptRunsIdentify() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Process p = new ProcessBuilder(root.resolve("camserver").toString(), "identify", Fixtures.person("raj", 1).toString())
                .redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        JsonNode j = JSON.readTree(out.lines().findFirst().orElseThrow());
        assertEquals(1, j.get("faces").size(), out);
    }

    private static List<String> fieldNames(JsonNode j) {
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
