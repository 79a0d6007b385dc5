package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.models.ModelCatalog;
import io.camserver.support.Fixtures;
import io.camserver.support.SceneTruth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * {@code camserver eval} on every labelled set the shared material makes: the grey crops of
 * faces/people, the same people's colour faces cut from the group-4 scene (a second source: the
 * pairs across the two are what a camera sees against a gallery), the seed gallery's two other
 * people, and the face-api group photos as strangers. The scene set is written to
 * {@code target/eval/scene} so the README's command can be run again.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class EvalCommandTest {
    record Run(int status, String out, String err) {
    }

    static Run eval(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("eval"));
        argv.addAll(List.of(args));
        int status = Main.run(argv, System.getenv(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Each named face of group-4, cut out with room around it, as DIR/<name>/group-4.png. */
    static Path sceneSet() throws Exception {
        io.camserver.vision.opencv.OpenCvRuntime.load();
        Path dir = Path.of("target/eval/scene");
        SceneTruth truth = SceneTruth.load("group-4");
        Mat scene = Fixtures.read(truth.image());
        try {
            for (SceneTruth.Face f : truth.faces()) {
                int half = 70;
                int x0 = Math.max(0, f.cx() - half);
                int y0 = Math.max(0, f.cy() - half);
                int x1 = Math.min(scene.cols(), f.cx() + half);
                int y1 = Math.min(scene.rows(), f.cy() + half);
                Mat crop = scene.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
                Files.createDirectories(dir.resolve(f.name()));
                assertTrue(Imgcodecs.imwrite(dir.resolve(f.name()).resolve("group-4.png").toString(), crop));
                crop.release();
            }
        } finally {
            scene.release();
        }
        return dir;
    }

    @Test
    void reportsBothEmbeddersAndTheirCombinationOnEveryLabelledSet() throws Exception {
        Path scene = sceneSet();
        Path strangers = Fixtures.store().ensure(ModelCatalog.FACE_API_SAMPLES).get(0).getParent();
        Run r = eval(Fixtures.faces().resolve("people").toString(), scene.toString(), Fixtures.faces().resolve("seed-gallery").toString(),
                "--strangers", strangers.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertEquals(10, report.get("people").asInt(), "8 people + 2 of the seed gallery");
        assertEquals(48, report.get("faces").asInt(), "40 crops + 6 scene faces + 2 seed photos: " + report.get("skipped"));
        assertTrue(report.get("strangerFaces").asInt() >= 20, report.get("strangerFaces").toString());
        List<String> seen = new ArrayList<>();
        for (JsonNode e : report.get("evaluations")) {
            String name = e.get("embedder").asText() + (e.get("flip").asBoolean() ? "+flip" : "");
            seen.add(name);
            JsonNode pairs = e.get("pairs");
            // 6 scene faces each pair with 5 crops of their person: 30 cross-source genuine pairs more.
            assertEquals(80 + 30, pairs.get("genuine").get("count").asInt(), name);
            JsonNode far3 = pairs.get("atFar").get(1);
            assertEquals(1e-3, far3.get("far").asDouble());
            assertTrue(far3.get("resolved").asBoolean(), "over 1000 impostor pairs measure FAR 1e-3: " + pairs.get("impostor"));
            assertTrue(far3.get("tar").asDouble() > 0.8, name + " separates genuine from impostor pairs: TAR " + far3.get("tar"));
            assertTrue(pairs.get("genuine").get("p50").asDouble() > pairs.get("impostor").get("p99").asDouble(), name);
            for (JsonNode id : e.get("identification")) {
                assertTrue(id.get("rank1").asDouble() >= 0.9, name + " k=" + id.get("enroll") + " rank-1 " + id.get("rank1"));
            }
            assertEquals(8, e.get("weakest").size(), "every person with 2+ samples has a weakest one: " + e.get("weakest"));
        }
        assertEquals(List.of("fr-feature", "fr-feature+flip", "mobilefacenet", "mobilefacenet+flip", "fr-feature+mobilefacenet",
                "fr-feature+mobilefacenet+flip"), seen);
    }

    @Test
    void textReportNamesTheUnmeasurableFarAndBadInputIsRefusedByName() throws Exception {
        Run r = eval(Fixtures.faces().resolve("people").toString(), "--embedders", "fr-feature", "--flip", "off", "--enroll", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("80 genuine, 700 impostor"), r.out());
        assertTrue(r.out().contains("FAR not measurable"), "FAR 1e-3 is below 1/700: marked, not pretended: " + r.out());
        assertTrue(r.out().contains("weakest sample per person"), r.out());

        Run missing = eval("/nonexistent-folder");
        assertTrue(missing.status() != 0 && missing.err().contains("/nonexistent-folder"), missing.err());
        Run badFlip = eval(Fixtures.faces().resolve("people").toString(), "--flip", "sideways");
        assertTrue(badFlip.status() != 0 && badFlip.err().contains("--flip"), badFlip.err());
        Run badModel = eval(Fixtures.faces().resolve("people").toString(), "--embedders", "nosuch");
        assertTrue(badModel.status() != 0 && badModel.err().contains("nosuch"), badModel.err());
    }
}
