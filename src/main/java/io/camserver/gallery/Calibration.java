package io.camserver.gallery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How well this installation's gallery separates its people, from its own samples: genuine pairs
 * (two samples of one person), impostor pairs (samples of two people, and a person's samples
 * against the faces said not to be them), the person pairs that look most alike, and a threshold
 * that sits between the two distributions. What "a stranger like them may be named" means, in
 * numbers, for the faces the cameras actually see.
 *
 * @param suggestedThreshold halfway between the impostors' 99th percentile and the genuine pairs'
 *                           5th when they are apart; just above the impostors' 99th percentile
 *                           when they overlap (no stranger named comes first); the current
 *                           threshold when there are too few pairs to say
 */
public record Calibration(String model, float threshold, float suggestedThreshold, Genuine genuine, Impostor impostor, List<Pair> closestPairs,
                          List<String> warnings) {
    /** Percentiles are null when there are no such pairs. */
    public record Genuine(int count, Float p1, Float p5, Float median) {
    }

    public record Impostor(int count, Float max, Float p99) {
    }

    /** Two people and the similarity of their closest samples. */
    public record Pair(String a, String b, float similarity) {
    }

    /** People compared pairwise at most (a random sample of them beyond it), so the report stays quick on a big gallery. */
    static final int MAX_PEOPLE = 300;
    private static final int CLOSEST = 5;

    public static Calibration of(EmbeddingIndex index) {
        float threshold = index.config().threshold();
        List<Map.Entry<Person, List<float[]>>> people = new ArrayList<>(index.samplesByPerson().entrySet());
        List<String> warnings = new ArrayList<>();
        if (people.size() > MAX_PEOPLE) {
            java.util.Collections.shuffle(people, new Random(1));
            people = people.subList(0, MAX_PEOPLE);
            warnings.add("measured on " + MAX_PEOPLE + " people picked at random of " + index.samplesByPerson().size());
        }
        List<Float> genuine = new ArrayList<>();
        List<Float> impostor = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            List<float[]> a = people.get(i).getValue();
            if (a.size() == 1) {
                warnings.add(people.get(i).getKey().name() + " has one sample: add a few more, from other angles and light");
            }
            for (int x = 0; x < a.size(); x++) {
                for (int y = x + 1; y < a.size(); y++) {
                    genuine.add(dot(a.get(x), a.get(y)));
                }
            }
            for (int j = i + 1; j < people.size(); j++) {
                float closest = -2;
                for (float[] u : a) {
                    for (float[] v : people.get(j).getValue()) {
                        float s = dot(u, v);
                        impostor.add(s);
                        closest = Math.max(closest, s);
                    }
                }
                pairs.add(new Pair(people.get(i).getKey().name(), people.get(j).getKey().name(), closest));
            }
        }
        Map<Person, List<float[]>> samples = index.samplesByPerson();
        index.negativesByPerson().forEach((person, negatives) -> {
            for (float[] n : negatives) {
                for (float[] s : samples.getOrDefault(person, List.of())) {
                    impostor.add(dot(n, s));
                }
            }
        });
        pairs.sort(Comparator.comparingDouble(Pair::similarity).reversed());
        List<Pair> closest = pairs.subList(0, Math.min(CLOSEST, pairs.size())).stream()
                .map(p -> new Pair(p.a(), p.b(), round(p.similarity()))).toList();
        for (Pair p : closest) {
            if (p.similarity() >= threshold) {
                warnings.add(p.a() + " and " + p.b() + " look alike to this model: " + p.similarity() + ", over the threshold "
                        + threshold + "; a stranger like them may be named");
            }
        }
        float[] g = sorted(genuine);
        float[] im = sorted(impostor);
        Genuine gen = new Genuine(g.length, orNull(quantile(g, 0.01)), orNull(quantile(g, 0.05)), orNull(quantile(g, 0.5)));
        Impostor imp = new Impostor(im.length, orNull(im.length == 0 ? Float.NaN : im[im.length - 1]), orNull(quantile(im, 0.99)));
        float suggested;
        if (g.length < 3 || im.length < 10) {
            suggested = threshold;
            warnings.add("too few samples to suggest a threshold: at least two people with two samples or more are needed");
        } else if (imp.p99() < gen.p5()) {
            suggested = round((imp.p99() + gen.p5()) / 2);
        } else {
            suggested = round(imp.p99() + 0.02f);
            warnings.add("genuine and impostor scores overlap: 5 % of a person's sample pairs score under " + gen.p5()
                    + " while 1 % of pairs of different people score over " + imp.p99() + "; clearer samples, or a stronger embedder, help");
        }
        return new Calibration(index.modelId(), threshold, suggested, gen, imp, closest, warnings);
    }

    private static float[] sorted(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        Arrays.sort(out);
        return out;
    }

    private static float quantile(float[] sorted, double q) {
        if (sorted.length == 0) {
            return Float.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
    }

    private static Float orNull(float v) {
        return Float.isNaN(v) ? null : round(v);
    }

    private static float round(float v) {
        return Float.isNaN(v) ? v : Math.round(v * 1000) / 1000f;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
