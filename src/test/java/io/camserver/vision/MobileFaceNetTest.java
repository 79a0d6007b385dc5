package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import io.camserver.support.SceneTruth;
import io.camserver.vision.opencv.VisionModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * MobileFaceNet, converted from TFLite to ONNX at load, run on both backends: the conversion is
 * faithful if the two engines agree and genuine pairs separate from impostor pairs; the colour
 * order is right if the same faces embedded with red and blue swapped separate worse.
 */
class MobileFaceNetTest {
    private static VisionModels models(EmbedderConfig.Backend backend) {
        return new VisionModels(Fixtures.store(), DetectorConfig.stillDefaults(),
                new EmbedderConfig(EmbedderConfig.Kind.MOBILEFACENET, Optional.empty(), false, backend));
    }

    record Sample(String person, Embedding rgb, Embedding bgr) {
    }

    private static List<Sample> embedAll(FaceEmbedder emb) {
        List<Sample> out = new ArrayList<>();
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
            for (String p : Fixtures.people()) {
                for (int i = 1; i <= 5; i++) {
                    Mat img = Fixtures.read(Fixtures.person(p, i));
                    try (AlignedFace face = a.align(img, a.detect(img).get(0))) {
                        Mat swapped = new Mat();
                        Imgproc.cvtColor(face.pixels(), swapped, Imgproc.COLOR_BGR2RGB);
                        try (AlignedFace other = new AlignedFace(swapped, face.source())) {
                            out.add(new Sample(p, emb.embed(face), emb.embed(other)));
                        }
                    } finally {
                        img.release();
                    }
                }
            }
        }
        return out;
    }

    /** Fraction of genuine pairs above the highest impostor pair: 1.0 is perfect separation. */
    private static double separation(List<Sample> s, boolean bgr) {
        double maxImpostor = -1;
        List<Double> genuine = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            for (int j = i + 1; j < s.size(); j++) {
                Embedding x = bgr ? s.get(i).bgr() : s.get(i).rgb();
                Embedding y = bgr ? s.get(j).bgr() : s.get(j).rgb();
                double c = x.cosine(y);
                if (s.get(i).person().equals(s.get(j).person())) {
                    genuine.add(c);
                } else {
                    maxImpostor = Math.max(maxImpostor, c);
                }
            }
        }
        double m = maxImpostor;
        double sep = genuine.stream().filter(g -> g > m).count() / (double) genuine.size();
        System.out.printf("mobilefacenet %s: max impostor %.3f, genuine median %.3f, separation %.3f%n", bgr ? "BGR" : "RGB", maxImpostor,
                genuine.stream().sorted().toList().get(genuine.size() / 2), sep);
        return sep;
    }

    @Test
    void convertedModelSeparatesPeopleOnBothBackendsInRgbOrder() {
        VisionModels ort = models(EmbedderConfig.Backend.ONNXRUNTIME);
        VisionModels cv = models(EmbedderConfig.Backend.OPENCV);
        assertTrue(ort.embedderModelId().startsWith("mobilefacenet@"), ort.embedderModelId());
        List<Sample> a;
        List<Sample> b;
        try (FaceEmbedder e = ort.newEmbedder(false)) {
            a = embedAll(e);
        }
        try (FaceEmbedder e = cv.newEmbedder(false)) {
            b = embedAll(e);
        }
        assertEquals(192, a.get(0).rgb().dimension());
        for (int i = 0; i < a.size(); i++) {
            float c = a.get(i).rgb().cosine(b.get(i).rgb());
            assertTrue(c > 0.999f, "ONNX Runtime and OpenCV disagree on sample " + i + ": cosine " + c);
        }
        double rgb = separation(a, false);
        assertTrue(rgb > 0.9, "genuine pairs should nearly all rank above every impostor pair, " + rgb);
    }

    @Test
    void theConverterRefusesWhatItCannotConvertByName() throws Exception {
        byte[] mfn = java.nio.file.Files.readAllBytes(Fixtures.store().require(io.camserver.models.ModelCatalog.MOBILEFACENET));
        var notTflite = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.camserver.models.convert.TfliteToOnnx.convert("just some text, not a model".getBytes(), "x"));
        assertTrue(notTflite.getMessage().contains("not a TensorFlow Lite model"), notTflite.getMessage());
        byte[] cut = java.util.Arrays.copyOf(mfn, mfn.length / 3);
        var truncated = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.camserver.models.convert.TfliteToOnnx.convert(cut, "cut"));
        assertTrue(truncated.getMessage().contains("corrupt TFLite model"), truncated.getMessage());
        // BlazeFace (two outputs, operators outside MobileFaceNet's set) is refused with what is wrong, not mistranslated.
        byte[] blaze = java.nio.file.Files.readAllBytes(Fixtures.store().require(io.camserver.models.ModelCatalog.BLAZEFACE_SHORT));
        var other = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> io.camserver.models.convert.TfliteToOnnx.convert(blaze, "blaze"));
        assertEquals("expected one input and one output, found 1 and 2", other.getMessage());
    }

    /**
     * The crops in faces/people are grey, so the colour order shows only on colour faces: the six
     * people of the group-4 scene, in colour, against their own grey crops. Fed in the model's
     * order, a colour face is closer to its own crops than fed with red and blue swapped.
     */
    @Test
    void colourFacesMatchTheirGreyCropsBetterInRgbThanInBgr() {
        for (EmbedderConfig.Kind kind : List.of(EmbedderConfig.Kind.MOBILEFACENET, EmbedderConfig.Kind.FR_FEATURE)) {
            VisionModels vm = new VisionModels(Fixtures.store(), DetectorConfig.stillDefaults(),
                    new EmbedderConfig(kind, Optional.empty(), false, EmbedderConfig.Backend.ONNXRUNTIME));
            SceneTruth truth = SceneTruth.load("group-4");
            Mat scene = Fixtures.read(truth.image());
            double rgbSum = 0;
            double bgrSum = 0;
            int rgbRight = 0;
            int bgrRight = 0;
            try (FaceEmbedder emb = vm.newEmbedder(false); FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels())) {
                java.util.Map<String, List<Embedding>> crops = new java.util.HashMap<>();
                for (String p : Fixtures.people()) {
                    for (int i = 1; i <= 5; i++) {
                        Mat img = Fixtures.read(Fixtures.person(p, i));
                        try (AlignedFace face = a.align(img, a.detect(img).get(0))) {
                            crops.computeIfAbsent(p, k -> new ArrayList<>()).add(emb.embed(face));
                        } finally {
                            img.release();
                        }
                    }
                }
                for (Detection d : a.detect(scene)) {
                    SceneTruth.Face who = truth.faces().stream().filter(f -> d.box().contains(f.cx(), f.cy())).findFirst().orElse(null);
                    if (who == null) {
                        continue;
                    }
                    try (AlignedFace face = a.align(scene, d)) {
                        Mat swapped = new Mat();
                        Imgproc.cvtColor(face.pixels(), swapped, Imgproc.COLOR_BGR2RGB);
                        try (AlignedFace other = new AlignedFace(swapped, face.source())) {
                            Embedding rgb = emb.embed(face);
                            Embedding bgr = emb.embed(other);
                            rgbSum += mean(crops.get(who.name()), rgb);
                            bgrSum += mean(crops.get(who.name()), bgr);
                            rgbRight += best(crops, rgb).equals(who.name()) ? 1 : 0;
                            bgrRight += best(crops, bgr).equals(who.name()) ? 1 : 0;
                        }
                    }
                }
            } finally {
                scene.release();
            }
            int n = truth.faces().size();
            System.out.printf("%s colour faces vs own grey crops: RGB mean %.3f, %d/%d named; BGR mean %.3f, %d/%d named%n", kind.id(),
                    rgbSum / n, rgbRight, n, bgrSum / n, bgrRight, n);
            assertTrue(rgbSum > bgrSum, kind.id() + ": RGB " + rgbSum / n + " should beat BGR " + bgrSum / n);
        }
    }

    private static double mean(List<Embedding> gallery, Embedding e) {
        return gallery.stream().mapToDouble(g -> g.cosine(e)).average().orElseThrow();
    }

    private static String best(java.util.Map<String, List<Embedding>> crops, Embedding e) {
        return crops.entrySet().stream().max(java.util.Comparator.comparingDouble(en -> mean(en.getValue(), e))).orElseThrow().getKey();
    }
}
