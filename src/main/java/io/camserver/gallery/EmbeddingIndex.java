package io.camserver.gallery;

import io.camserver.vision.Embedding;
import java.util.ArrayList;
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
 */
public final class EmbeddingIndex implements Gallery {
    private final String modelId;
    private final int dim;
    private final List<Person> people;
    private final float[] matrix;
    private final int[] owner;
    private final int[] samplesPerPerson;
    private final MatchConfig config;

    private EmbeddingIndex(String modelId, int dim, List<Person> people, float[] matrix, int[] owner, MatchConfig config) {
        this.modelId = modelId;
        this.dim = dim;
        this.people = List.copyOf(people);
        this.matrix = matrix;
        this.owner = owner;
        this.config = config;
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
        return new EmbeddingIndex(modelId, dim, people, matrix, owner, Objects.requireNonNull(newConfig));
    }

    @Override
    public Match match(Embedding e) {
        if (!e.modelId().equals(modelId)) {
            throw new IllegalArgumentException("embedding from model " + e.modelId() + " cannot be matched against a gallery of "
                    + modelId + "; re-embed the gallery with the current model");
        }
        if (owner.length == 0) {
            return Match.empty();
        }
        float[] q = e.unsafeVector();
        if (q.length != dim) {
            throw new IllegalArgumentException("embedding has " + q.length + " dimensions, gallery has " + dim);
        }
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
        int first = -1;
        int second = -1;
        for (int p = 0; p < best.length; p++) {
            if (samplesPerPerson[p] == 0) {
                continue;
            }
            if (first < 0 || best[p] > best[first]) {
                second = first;
                first = p;
            } else if (second < 0 || best[p] > best[second]) {
                second = p;
            }
        }
        float top = best[first];
        float runnerUp = second < 0 ? 0f : Math.max(0f, best[second]);
        Optional<Person> nearest = Optional.of(people.get(first));
        if (top < config.threshold()) {
            return new Match(Optional.empty(), top, nearest, runnerUp, Match.Reason.BELOW_THRESHOLD);
        }
        if (second >= 0 && top - best[second] < config.margin()) {
            return new Match(Optional.empty(), top, nearest, runnerUp, Match.Reason.AMBIGUOUS);
        }
        return new Match(nearest, top, nearest, runnerUp, Match.Reason.MATCHED);
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
            if (!e.modelId().equals(modelId)) {
                throw new IllegalArgumentException("sample of " + p.name() + " is from model " + e.modelId()
                        + ", this gallery holds " + modelId);
            }
            if (dim < 0) {
                dim = e.dimension();
            } else if (dim != e.dimension()) {
                throw new IllegalArgumentException("sample of " + p.name() + " has " + e.dimension() + " dimensions, expected " + dim);
            }
            person(p);
            rows.add(e.unsafeVector());
            owners.add(index.get(p.id()));
            return this;
        }

        public EmbeddingIndex build() {
            int d = Math.max(dim, 0);
            float[] matrix = new float[rows.size() * d];
            int[] owner = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, matrix, r * d, d);
                owner[r] = owners.get(r);
            }
            return new EmbeddingIndex(modelId, d, people, matrix, owner, config);
        }
    }
}
