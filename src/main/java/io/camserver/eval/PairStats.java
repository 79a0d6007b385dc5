package io.camserver.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verification figures from every pair of faces: same person (genuine) or not (impostor).
 * TAR at a FAR is read off the impostor scores: the threshold is the score of the impostor pair
 * ranked {@code floor(FAR x impostors) + 1} from the top, so at most that many impostor pairs
 * score above it; TAR is the share of genuine pairs above it. Where FAR x impostors is under one
 * pair, the set is too small to measure that FAR and the threshold is the highest impostor score
 * ({@code resolved} false): say so rather than print a figure the data cannot support.
 *
 * <p>{@code dPrime} (Daugman's decidability, (mean genuine - mean impostor) / sqrt of the mean
 * of the two variances) uses every pair, not just the few in the impostor tail, so it is the
 * steadier comparison when two models' TAR differ by a pair or two.
 */
public record PairStats(Distribution genuine, Distribution impostor, List<AtFar> atFar, double dPrime) {

    /** One operating point. */
    public record AtFar(double far, double threshold, double tar, boolean resolved) {
    }

    /** Percentiles of a set of cosine similarities. */
    public record Distribution(int count, double min, double p1, double p5, double p25, double p50, double p75, double p95, double p99,
                               double max) {
        static Distribution of(double[] sorted) {
            if (sorted.length == 0) {
                return new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN);
            }
            return new Distribution(sorted.length, sorted[0], pct(sorted, 1), pct(sorted, 5), pct(sorted, 25), pct(sorted, 50),
                    pct(sorted, 75), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1]);
        }

        /** Nearest-rank percentile. */
        private static double pct(double[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /**
     * Genuine and impostor similarities of all pairs; {@code similarity} gives the cosine of faces
     * i and j. A null label is a face from outside the labelled set (a stranger): it pairs as an
     * impostor with every labelled face and not at all with other strangers.
     */
    public static PairStats of(List<String> labels, Similarity similarity, double... fars) {
        List<Double> gen = new ArrayList<>();
        List<Double> imp = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                String a = labels.get(i);
                String b = labels.get(j);
                if (a == null && b == null) {
                    continue; // two outside faces: nobody knows whether they are one person
                }
                double c = similarity.between(i, j);
                (a != null && a.equals(b) ? gen : imp).add(c);
            }
        }
        double[] g = gen.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] m = imp.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<AtFar> points = new ArrayList<>();
        for (double far : fars) {
            points.add(atFar(g, m, far));
        }
        return new PairStats(Distribution.of(g), Distribution.of(m), List.copyOf(points), dPrime(g, m));
    }

    static double dPrime(double[] g, double[] m) {
        if (g.length < 2 || m.length < 2) {
            return Double.NaN;
        }
        double mg = Arrays.stream(g).average().orElseThrow();
        double mm = Arrays.stream(m).average().orElseThrow();
        double vg = Arrays.stream(g).map(x -> (x - mg) * (x - mg)).sum() / (g.length - 1);
        double vm = Arrays.stream(m).map(x -> (x - mm) * (x - mm)).sum() / (m.length - 1);
        return (mg - mm) / Math.sqrt((vg + vm) / 2);
    }

    static AtFar atFar(double[] genuineSorted, double[] impostorSorted, double far) {
        int n = impostorSorted.length;
        if (n == 0) {
            return new AtFar(far, Double.NaN, Double.NaN, false);
        }
        int allowed = (int) Math.floor(far * n);
        boolean resolved = allowed >= 1;
        double threshold = impostorSorted[n - 1 - Math.min(allowed, n - 1)];
        int above = genuineSorted.length - upperBound(genuineSorted, threshold);
        double tar = genuineSorted.length == 0 ? Double.NaN : (double) above / genuineSorted.length;
        return new AtFar(far, threshold, tar, resolved);
    }

    /** Index of the first element greater than {@code v}. */
    private static int upperBound(double[] sorted, double v) {
        int i = Arrays.binarySearch(sorted, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == v) {
            i++;
        }
        return i;
    }

    @FunctionalInterface
    public interface Similarity {
        double between(int i, int j);
    }
}
