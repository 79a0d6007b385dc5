package io.camserver.eval;

import io.camserver.gallery.MatchConfig;
import io.camserver.vision.Embedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures {@code camserver eval} reports for one way of embedding a labelled set (an
 * embedder, with or without the flip pass, or two embedders combined).
 *
 * @param threshold the match threshold the identification figures use (the model's default unless
 *                  one was given)
 */
public record Evaluation(String embedder, boolean flip, int dimension, double msPerFace, float threshold, PairStats pairs,
                         List<Identification> identification, List<Weakest> weakest) {

    /** FAR operating points reported. */
    public static final double[] FARS = {1e-2, 1e-3};

    /** A person's sample least like their others: a wrong photo, or a poor one, shows here first. */
    public record Weakest(String person, String file, double meanToOthers) {
    }

    /** One face, embedded one way; {@code person} is null for a stranger's face (see {@link PairStats#of}). */
    public record Face(String person, String file, Embedding embedding) {
    }

    public static Evaluation of(String embedder, boolean flip, double msPerFace, List<Face> faces, List<Integer> enroll, int leaveOut,
                                MatchConfig match) {
        List<String> labels = faces.stream().map(Face::person).toList();
        List<Embedding> vectors = faces.stream().map(Face::embedding).toList();
        PairStats pairs = PairStats.of(labels, (i, j) -> vectors.get(i).cosine(vectors.get(j)), FARS);
        List<Identification> ids = new ArrayList<>();
        for (int k : enroll) {
            ids.add(Identification.run(labels, vectors, k, leaveOut, match));
        }
        return new Evaluation(embedder, flip, vectors.isEmpty() ? 0 : vectors.get(0).dimension(), msPerFace, match.threshold(), pairs,
                List.copyOf(ids), weakest(faces));
    }

    static List<Weakest> weakest(List<Face> faces) {
        Map<String, List<Face>> byPerson = new LinkedHashMap<>();
        faces.stream().filter(f -> f.person() != null).forEach(f -> byPerson.computeIfAbsent(f.person(), k -> new ArrayList<>()).add(f));
        List<Weakest> out = new ArrayList<>();
        for (var e : byPerson.entrySet()) {
            List<Face> mine = e.getValue();
            if (mine.size() < 2) {
                continue;
            }
            Weakest worst = null;
            for (Face f : mine) {
                double sum = 0;
                for (Face g : mine) {
                    if (g != f) {
                        sum += f.embedding().cosine(g.embedding());
                    }
                }
                double mean = sum / (mine.size() - 1);
                if (worst == null || mean < worst.meanToOthers()) {
                    worst = new Weakest(e.getKey(), f.file(), mean);
                }
            }
            out.add(worst);
        }
        out.sort(java.util.Comparator.comparing(Weakest::person));
        return List.copyOf(out);
    }

    /** Two embeddings of one face as one: the normalised vectors concatenated, so its cosine is the mean of the two cosines. */
    public static Embedding combine(Embedding a, Embedding b, String modelId) {
        float[] x = a.unsafeVector();
        float[] y = b.unsafeVector();
        float[] v = new float[x.length + y.length];
        System.arraycopy(x, 0, v, 0, x.length);
        System.arraycopy(y, 0, v, x.length, y.length);
        return Embedding.normalized(v, modelId);
    }
}
