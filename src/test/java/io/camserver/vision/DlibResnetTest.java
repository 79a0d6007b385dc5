package io.camserver.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camserver.models.ModelCatalog;
import io.camserver.models.convert.DlibResnetToOnnx;
import io.camserver.models.convert.TfjsWeights;
import io.camserver.support.Fixtures;
import io.camserver.vision.opencv.VisionModels;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * dlib's ResNet as we build it (ONNX from face-api.js's TensorFlow.js weights) against the same
 * network run by face-api.js itself: {@code src/test/resources/dlib/reference.json} holds the
 * descriptors face-api.js 1.7.15 computed on TensorFlow.js's CPU backend for three face chips
 * (lossless PNGs beside it) and one of pseudo-random noise ({@code tools/dlib-reference/reference.sh}
 * regenerates it). Every one of the 128 values must agree, on ONNX Runtime and on OpenCV's DNN.
 */
class DlibResnetTest {
    private static final int SIDE = DlibResnetToOnnx.SIDE;

    @org.junit.jupiter.api.BeforeAll
    static void loadOpenCv() {
        io.camserver.vision.opencv.OpenCvRuntime.load();
    }

    /** The chips as float NCHW RGB, normalised as face-api.js does: (x - mean) / 255. */
    private static List<float[]> chips() throws Exception {
        List<float[]> out = new ArrayList<>();
        EmbedderConfig.Kind k = EmbedderConfig.Kind.DLIB;
        for (String name : List.of("face1.png", "face2.png", "face3.png")) {
            byte[] png;
            try (InputStream in = DlibResnetTest.class.getResourceAsStream("/dlib/" + name)) {
                png = in.readAllBytes();
            }
            Mat bgr = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_COLOR);
            assertEquals(SIDE, bgr.cols(), name);
            Mat blob = Dnn.blobFromImage(bgr, k.scale(), new Size(SIDE, SIDE), new Scalar(k.mean(0), k.mean(1), k.mean(2)), true, false);
            float[] v = new float[3 * SIDE * SIDE];
            blob.reshape(1, 1).get(0, 0, v);
            out.add(v);
            blob.release();
            bgr.release();
        }
        // The noise chip, made as reference.sh makes it: interleaved RGB bytes, then CHW.
        float[] v = new float[3 * SIDE * SIDE];
        int s = 1;
        for (int i = 0; i < SIDE * SIDE * 3; i++) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            int value = s >>> 23;
            int pixel = i / 3;
            int c = i % 3;
            v[c * SIDE * SIDE + pixel] = (float) ((value - k.mean(c)) * k.scale());
        }
        out.add(v);
        return out;
    }

    private static byte[] onnx() throws Exception {
        return DlibResnetToOnnx.convert(Files.readAllBytes(Fixtures.store().require(ModelCatalog.DLIB_RESNET_MANIFEST)),
                Files.readAllBytes(Fixtures.store().require(ModelCatalog.DLIB_RESNET)));
    }

    private static double[][] reference() throws Exception {
        JsonNode d;
        try (InputStream in = DlibResnetTest.class.getResourceAsStream("/dlib/reference.json")) {
            d = new ObjectMapper().readTree(in).path("descriptors");
        }
        double[][] out = new double[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            out[i] = new double[d.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = d.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static void assertMatches(String engine, double[][] expected, List<float[]> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            float[] a = actual.get(i);
            assertEquals(DlibResnetToOnnx.DIMENSIONS, a.length, engine + " chip " + i);
            double maxDiff = 0;
            double norm = 0;
            for (int j = 0; j < a.length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[j] - expected[i][j]));
                norm += expected[i][j] * expected[i][j];
            }
            System.out.printf("dlib %s chip %d: largest difference %.2e (vector length %.3f)%n", engine, i, maxDiff, Math.sqrt(norm));
            // float32 sums in another order over 29 layers differ by about 1e-7 here; a wrong
            // padding, fold or layout moves values by 1e-2 and more.
            assertTrue(maxDiff < 1e-5, engine + " chip " + i + " differs from face-api.js by " + maxDiff);
        }
    }

    @Test
    void onnxBuildGivesFaceApiJsDescriptorsOnBothEngines() throws Exception {
        byte[] model = onnx();
        double[][] expected = reference();
        List<float[]> chips = chips();

        List<float[]> ort = new ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (float[] chip : chips) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(chip), new long[] {1, 3, SIDE, SIDE});
                     OrtSession.Result r = session.run(Map.of("input", t))) {
                    ort.add(((float[][]) r.get(0).getValue())[0]);
                }
            }
        }
        assertMatches("onnxruntime", expected, ort);

        List<float[]> cv = new ArrayList<>();
        org.opencv.dnn.Net net = Dnn.readNetFromONNX(new MatOfByte(model));
        for (float[] chip : chips) {
            Mat blob = new Mat(new int[] {1, 3, SIDE, SIDE}, org.opencv.core.CvType.CV_32F);
            blob.put(new int[] {0, 0, 0, 0}, chip);
            net.setInput(blob);
            Mat out = net.forward();
            float[] v = new float[(int) out.total()];
            out.reshape(1, 1).get(0, 0, v);
            cv.add(v);
            blob.release();
            out.release();
        }
        assertMatches("opencv", expected, cv);
    }

    @Test
    void weightsAreReadWholeAndCheckedByShape() throws Exception {
        byte[] manifest = Files.readAllBytes(Fixtures.store().require(ModelCatalog.DLIB_RESNET_MANIFEST));
        byte[] weights = Files.readAllBytes(Fixtures.store().require(ModelCatalog.DLIB_RESNET));
        TfjsWeights w = TfjsWeights.read(manifest, weights);
        assertEquals(117, w.count());
        assertEquals(7 * 7 * 3 * 32, w.get("conv32_down/conv/filters", 7, 7, 3, 32).size());
        IllegalArgumentException shape = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> w.get("fc", 128, 256));
        assertTrue(shape.getMessage().contains("[256, 128]"), shape.getMessage());
        byte[] cut = java.util.Arrays.copyOf(weights, weights.length - 1000);
        IllegalArgumentException truncated = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TfjsWeights.read(manifest, cut));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void embedderSeparatesPeopleThroughTheProductPath() {
        VisionModels m = new VisionModels(Fixtures.store(), DetectorConfig.stillDefaults(),
                new EmbedderConfig(EmbedderConfig.Kind.DLIB, Optional.empty(), false, EmbedderConfig.Backend.ONNXRUNTIME));
        assertTrue(m.embedderModelId().startsWith("dlib@"), m.embedderModelId());
        List<String> who = new ArrayList<>();
        List<Embedding> vectors = new ArrayList<>();
        try (FaceAnalyzer a = Fixtures.analyzer(Fixtures.stillModels()); FaceEmbedder e = m.newEmbedder(false)) {
            for (String p : Fixtures.people()) {
                for (int i = 1; i <= 3; i++) {
                    Mat img = Fixtures.read(Fixtures.person(p, i));
                    try (AlignedFace face = a.align(img, a.detect(img).get(0))) {
                        vectors.add(e.embed(face));
                        who.add(p);
                    } finally {
                        img.release();
                    }
                }
            }
        }
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                (who.get(i).equals(who.get(j)) ? genuine : impostor).add((double) vectors.get(i).cosine(vectors.get(j)));
            }
        }
        double mg = genuine.stream().mapToDouble(d -> d).average().orElseThrow();
        double mi = impostor.stream().mapToDouble(d -> d).average().orElseThrow();
        double vg = genuine.stream().mapToDouble(d -> (d - mg) * (d - mg)).average().orElseThrow();
        double vi = impostor.stream().mapToDouble(d -> (d - mi) * (d - mi)).average().orElseThrow();
        double dPrime = (mg - mi) / Math.sqrt((vg + vi) / 2);
        System.out.printf("dlib through the product: genuine mean %.3f, impostor mean %.3f, d' %.2f%n", mg, mi, dPrime);
        assertEquals(128, vectors.get(0).vector().length);
        // Its cosines sit high (impostors around 0.84: the vectors share a large common part), so
        // the separation is judged by d', as eval does: a wrong layer or colour order falls far below.
        assertTrue(dPrime > 2.5, "d' " + dPrime);
    }
}
