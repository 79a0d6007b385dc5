package io.camserver.gallery;

import io.camserver.vision.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of every enrolled sample, laid out as one contiguous row-major float
 * matrix so a match is a single linear scan (cache-friendly, no per-sample objects). A person's
 * score is the best similarity over their samples: several photos of one person cover several
 * poses, and the max lets the closest pose speak. Changes build a new snapshot; readers never
 * lock.
 *
 * <p>Corrections live here too. A person's <em>negative examples</em> are faces the user said are
 * not them: a face at least as close to one of X's negatives as to X's own samples is never named
 * X (it may still be the next person). Only the few leading candidates' negatives are scored, so
 * a thousand negatives cost a few dot products per face, not a thousand. <em>Ignored</em> faces (a
 * poster, a television) belong to nobody: a face that is closer to one of them than to anyone and
 * within the threshold is still matched and recorded, and marked ignored so that it is never
 * announced.
 */
public final class EmbeddingIndex implements Gallery {
    private final String modelId;
    private final int dim;
    private final List<Person> people;
    private final float[] matrix;
    private final int[] owner;
    private final int[] samplesPerPerson;
    private final MatchConfig config;
    /** Negative examples, grouped by person: rows negStart[p] to negStart[p + 1] of negMatrix are p's. */
    private final float[] negMatrix;
    private final int[] negStart;
    private final float[] ignoreMatrix;

    private EmbeddingIndex(String modelId, int dim, List<Person> people, float[] matrix, int[] owner, MatchConfig config, float[] negMatrix,
                           int[] negStart, float[] ignoreMatrix) {
        this.modelId = modelId;
        this.dim = dim;
        this.people = List.copyOf(people);
        this.matrix = matrix;
        this.owner = owner;
        this.config = config;
        this.negMatrix = negMatrix;
        this.negStart = negStart;
        this.ignoreMatrix = ignoreMatrix;
        this.samplesPerPerson = new int[people.size()];
        for (int o : owner) {
            samplesPerPerson[o]++;
        }
    }

    public static Builder builder(String modelId, MatchConfig config) {
        return new Builder(modelId, config);
    }

    public String modelId() {
        return modelId;
    }

    public MatchConfig config() {
        return config;
    }

    public List<Person> people() {
        return people;
    }

    @Override
    public int size() {
        return people.size();
    }



    /** The same samples judged with another threshold and margin. */
    public EmbeddingIndex withConfig(MatchConfig newConfig) {
        return new EmbeddingIndex(modelId, dim, people, matrix, owner, Objects.requireNonNull(newConfig), negMatrix, negStart, ignoreMatrix);
    }

    /** Negative examples held (of every person). */
    public int negatives() {
        return dim == 0 ? 0 : negMatrix.length / dim;
    }

    /** Each person's sample vectors (people without samples left out), in the order they were added. */
    public Map<Person, List<float[]>> samplesByPerson() {
        Map<Person, List<float[]>> out = new LinkedHashMap<>();
        for (int r = 0; r < owner.length; r++) {
            out.computeIfAbsent(people.get(owner[r]), k -> new ArrayList<>()).add(Arrays.copyOfRange(matrix, r * dim, (r + 1) * dim));
        }
        return out;
    }

    /** Each person's negative examples' vectors. */
    public Map<Person, List<float[]>> negativesByPerson() {
        Map<Person, List<float[]>> out = new LinkedHashMap<>();
        for (int p = 0; p < people.size(); p++) {
            for (int r = negStart[p]; r < negStart[p + 1]; r++) {
                out.computeIfAbsent(people.get(p), k -> new ArrayList<>()).add(Arrays.copyOfRange(negMatrix, r * dim, (r + 1) * dim));
            }
        }
        return out;
    }

    /** Faces held as ignored. */
    public int ignored() {
        return dim == 0 ? 0 : ignoreMatrix.length / dim;
    }

    @Override
    public Match match(Embedding e) {
        if (!e.modelId().equals(modelId)) {
            throw new IllegalArgumentException("embedding from model " + e.modelId() + " cannot be matched against a gallery of "
                    + modelId + "; re-embed the gallery with the current model");
        }
        if (owner.length == 0 && ignoreMatrix.length == 0) {
            return Match.empty();
        }
        float[] q = e.unsafeVector();
        if (q.length != dim) {
            throw new IllegalArgumentException("embedding has " + q.length + " dimensions, gallery has " + dim);
        }
        float ignoredBy = best(q, ignoreMatrix, 0, ignoreMatrix.length / dim);
        float[] best = new float[people.size()];
        java.util.Arrays.fill(best, -2f);
        float[] sims = new float[owner.length];
        scores(q, matrix, dim, owner.length, sims);
        for (int r = 0; r < owner.length; r++) {
            int p = owner[r];
            if (sims[r] > best[p]) {
                best[p] = sims[r];
            }
        }
        List<Scored> ranked = rank(q, best);
        float top = ranked.isEmpty() ? -1f : ranked.get(0).similarity();
        boolean ignored = ignoredBy >= config.threshold() && ignoredBy >= top;
        if (owner.length == 0) {
            return new Match(Optional.empty(), 0f, Optional.empty(), 0f, Match.Reason.EMPTY_GALLERY, List.of(), ignored);
        }
        return Match.decide(ranked, config, ignored);
    }

    /**
     * The leading people by their best sample, without those the face is at least as close to a
     * negative example of: at most {@link Match#RANKED}, best first. Picks the next best a few
     * times rather than sorting everyone.
     */
    private List<Scored> rank(float[] q, float[] best) {
        List<Scored> out = new ArrayList<>(Match.RANKED);
        int[] picked = new int[Match.RANKED + 8];
        int npicked = 0;
        while (out.size() < Match.RANKED && npicked < picked.length) {
            int p = -1;
            for (int i = 0; i < best.length; i++) {
                if (samplesPerPerson[i] > 0 && (p < 0 || best[i] > best[p]) && !contains(picked, npicked, i)) {
                    p = i;
                }
            }
            if (p < 0) {
                break;
            }
            picked[npicked++] = p;
            if (negStart[p + 1] > negStart[p] && best(q, negMatrix, negStart[p], negStart[p + 1]) >= best[p]) {
                continue; // closer to what the user said is not p than to p: never p
            }
            out.add(new Scored(people.get(p), best[p]));
        }
        return out;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** The best similarity of {@code q} over rows {@code from} to {@code to} of {@code m}; -2 when there are none. */
    private float best(float[] q, float[] m, int from, int to) {
        float b = -2f;
        for (int r = from; r < to; r++) {
            float s = 0;
            int o = r * dim;
            for (int i = 0; i < dim; i++) {
                s += q[i] * m[o + i];
            }
            b = Math.max(b, s);
        }
        return b;
    }

    /**
     * All row similarities. Four rows per pass: each query element is loaded once and feeds
     * four independent multiply-add chains, which the CPU overlaps; a single running sum would
     * be one long dependency chain (and the JIT may not reassociate float adds to break it).
     */
    static void scores(float[] q, float[] m, int dim, int rows, float[] out) {
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int o0 = r * dim;
            int o1 = o0 + dim;
            int o2 = o1 + dim;
            int o3 = o2 + dim;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int i = 0; i < dim; i++) {
                float qi = q[i];
                s0 += qi * m[o0 + i];
                s1 += qi * m[o1 + i];
                s2 += qi * m[o2 + i];
                s3 += qi * m[o3 + i];
            }
            out[r] = s0;
            out[r + 1] = s1;
            out[r + 2] = s2;
            out[r + 3] = s3;
        }
        for (; r < rows; r++) {
            float s = 0;
            int o = r * dim;
            for (int i = 0; i < dim; i++) {
                s += q[i] * m[o + i];
            }
            out[r] = s;
        }
    }

    /** Collects samples; {@link #build()} freezes them. Not thread-safe. */
    public static final class Builder {
        private final String modelId;
        private final MatchConfig config;
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private final List<Person> people = new ArrayList<>();
        private final List<float[]> rows = new ArrayList<>();
        private final List<Integer> owners = new ArrayList<>();
        private final List<float[]> negRows = new ArrayList<>();
        private final List<Integer> negOwners = new ArrayList<>();
        private final List<float[]> ignoreRows = new ArrayList<>();
        private int dim = -1;

        private Builder(String modelId, MatchConfig config) {
            this.modelId = Objects.requireNonNull(modelId, "modelId");
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Registers a person even before any sample (so they count, and are listed). */
        public Builder person(Person p) {
            index.computeIfAbsent(p.id(), k -> {
                people.add(p);
                return people.size() - 1;
            });
            return this;
        }

        public Builder add(Person p, Embedding e) {
            check("sample of " + p.name(), e);
            person(p);
            rows.add(e.unsafeVector());
            owners.add(index.get(p.id()));
            return this;
        }

        /** A face the user said is not {@code p}. */
        public Builder negative(Person p, Embedding e) {
            check("negative example of " + p.name(), e);
            person(p);
            negRows.add(e.unsafeVector());
            negOwners.add(index.get(p.id()));
            return this;
        }

        /** A face the user said to ignore (nobody to announce: a poster, a television). */
        public Builder ignore(Embedding e) {
            check("ignored face", e);
            ignoreRows.add(e.unsafeVector());
            return this;
        }

        private void check(String what, Embedding e) {
            if (!e.modelId().equals(modelId)) {
                throw new IllegalArgumentException(what + " is from model " + e.modelId() + ", this gallery holds " + modelId);
            }
            if (dim < 0) {
                dim = e.dimension();
            } else if (dim != e.dimension()) {
                throw new IllegalArgumentException(what + " has " + e.dimension() + " dimensions, expected " + dim);
            }
        }

        public EmbeddingIndex build() {
            int d = Math.max(dim, 0);
            float[] matrix = new float[rows.size() * d];
            int[] owner = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, matrix, r * d, d);
                owner[r] = owners.get(r);
            }
            // Negatives grouped by person, so that a candidate's are one contiguous run.
            int[] negStart = new int[people.size() + 1];
            for (int o : negOwners) {
                negStart[o + 1]++;
            }
            for (int p = 0; p < people.size(); p++) {
                negStart[p + 1] += negStart[p];
            }
            float[] neg = new float[negRows.size() * d];
            int[] next = java.util.Arrays.copyOf(negStart, people.size());
            for (int r = 0; r < negRows.size(); r++) {
                System.arraycopy(negRows.get(r), 0, neg, next[negOwners.get(r)]++ * d, d);
            }
            float[] ignore = new float[ignoreRows.size() * d];
            for (int r = 0; r < ignoreRows.size(); r++) {
                System.arraycopy(ignoreRows.get(r), 0, ignore, r * d, d);
            }
            return new EmbeddingIndex(modelId, d, people, matrix, owner, config, neg, negStart, ignore);
        }
    }
}
