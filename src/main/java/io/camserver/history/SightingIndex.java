package io.camserver.history;

import io.camserver.store.SightingFaces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every sighting's face in memory, for looking at all of them at once: search by face, and
 * naming past sightings when a person gets new samples. A vector is kept as 8-bit integers with
 * its own scale (a 512-d face in 516 bytes instead of 2 KiB), which moves a similarity by about
 * 0.005, far inside any threshold's margin; a candidate that matters is checked again with the
 * stored float vector. 100,000 sightings take about 60 MiB and a scan of them all tens of
 * milliseconds on one core.
 *
 * <p>Loaded from the database at start (in the background), kept up by the history writer as it
 * writes, and loaded again after retention removed sightings. A sighting deleted meanwhile may
 * still be found here; callers look results up in the database, which has the last word.
 */
public final class SightingIndex {
    /** A sighting and how similar its face is to the one asked about. */
    public record Hit(String eventId, float similarity) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The vectors' length, set by the first one (the embedder's); others are not comparable and are skipped. */
    private int dim = -1;
    private String[] ids = new String[1024];
    private long[] firstSeen = new long[1024];
    private String[] persons = new String[1024];
    private float[] scales = new float[1024];
    private byte[] vectors = new byte[0];
    private int size;
    private Map<String, Integer> row = new HashMap<>();
    private volatile boolean loaded;
    /** Sightings added while a load reads the database: the load's result may not have them, so they are added to it. */
    private List<Pending> sinceLoad;

    private record Pending(String eventId, long seen, String personId, float[] embedding) {
    }

    public SightingIndex() {
    }

    /** Replaces the contents with every sighting of {@code modelId} in the database. */
    public void load(SightingFaces faces, String modelId) {
        lock.writeLock().lock();
        try {
            sinceLoad = new ArrayList<>();
        } finally {
            lock.writeLock().unlock();
        }
        SightingIndex fresh = new SightingIndex();
        try {
            faces.forEach(modelId, r -> fresh.add(r.eventId(), r.firstSeen(), r.personId(), r.embedding()));
        } catch (RuntimeException e) {
            lock.writeLock().lock();
            sinceLoad = null;
            lock.writeLock().unlock();
            throw e;
        }
        lock.writeLock().lock();
        try {
            for (Pending p : sinceLoad) {
                fresh.add(p.eventId(), p.seen(), p.personId(), p.embedding());
            }
            sinceLoad = null;
            ids = fresh.ids;
            firstSeen = fresh.firstSeen;
            persons = fresh.persons;
            scales = fresh.scales;
            vectors = fresh.vectors;
            size = fresh.size;
            dim = fresh.dim;
            row = fresh.row;
            loaded = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the first load has finished (before it, searches see only what was added since start). */
    public boolean loaded() {
        return loaded;
    }

    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A sighting just written (or written again: the same id replaces nothing, it is ignored). */
    public void add(String eventId, long seen, String personId, float[] embedding) {
        lock.writeLock().lock();
        try {
            if (dim < 0) {
                dim = embedding.length;
                vectors = new byte[ids.length * dim];
            }
            if (embedding.length != dim) {
                return; // another model's face: not comparable
            }
            if (sinceLoad != null) {
                sinceLoad.add(new Pending(eventId, seen, personId, embedding));
            }
            if (row.containsKey(eventId)) {
                return;
            }
            if (size == ids.length) {
                int cap = size * 2;
                ids = Arrays.copyOf(ids, cap);
                firstSeen = Arrays.copyOf(firstSeen, cap);
                persons = Arrays.copyOf(persons, cap);
                scales = Arrays.copyOf(scales, cap);
                vectors = Arrays.copyOf(vectors, cap * dim);
            }
            scales[size] = quantize(embedding, vectors, size * dim);
            ids[size] = eventId;
            firstSeen[size] = seen;
            persons[size] = personId;
            row.put(eventId, size);
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whom a sighting names now (null: unknown). */
    public void setPerson(String eventId, String personId) {
        lock.writeLock().lock();
        try {
            Integer r = row.get(eventId);
            if (r != null) {
                persons[r] = personId;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The sightings most like {@code query}, at least {@code min} similar, best first, at most {@code limit}. */
    public List<Hit> search(float[] query, int limit, float min) {
        PriorityQueue<Hit> best = new PriorityQueue<>((a, b) -> Float.compare(a.similarity(), b.similarity()));
        lock.readLock().lock();
        try {
            if (query.length != dim) {
                return List.of();
            }
            byte[] q = new byte[dim];
            float qs = quantize(query, q, 0);
            for (int r = 0; r < size; r++) {
                float s = dot(q, vectors, r * dim, dim) * qs * scales[r];
                if (s >= min && (best.size() < limit || s > best.peek().similarity())) {
                    best.add(new Hit(ids[r], s));
                    if (best.size() > limit) {
                        best.poll();
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        List<Hit> out = new ArrayList<>(best);
        out.sort((a, b) -> Float.compare(b.similarity(), a.similarity()));
        return out;
    }

    /**
     * Unknown sightings seen since {@code since} (epoch ms) whose face is at least {@code min}
     * similar to one of {@code samples}: the candidates for naming later.
     */
    public List<Hit> unknownLike(List<float[]> samples, float min, long since) {
        List<Hit> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            List<byte[]> qs = new ArrayList<>();
            float[] qscale = new float[samples.size()];
            for (int i = 0; i < samples.size(); i++) {
                if (samples.get(i).length != dim) {
                    return List.of();
                }
                byte[] q = new byte[dim];
                qscale[i] = quantize(samples.get(i), q, 0);
                qs.add(q);
            }
            for (int r = 0; r < size; r++) {
                if (persons[r] != null || firstSeen[r] < since) {
                    continue;
                }
                float best = -2;
                for (int i = 0; i < qs.size(); i++) {
                    best = Math.max(best, dot(qs.get(i), vectors, r * dim, dim) * qscale[i] * scales[r]);
                }
                if (best >= min) {
                    out.add(new Hit(ids[r], best));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Writes {@code v} as bytes at {@code offset}; returns the factor that turns their products back into cosine. */
    private static float quantize(float[] v, byte[] out, int offset) {
        float max = 1e-9f;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        float k = 127f / max;
        for (int i = 0; i < v.length; i++) {
            out[offset + i] = (byte) Math.round(v[i] * k);
        }
        return 1f / k;
    }

    private static float dot(byte[] q, byte[] m, int offset, int dim) {
        int s0 = 0;
        int s1 = 0;
        int i = 0;
        for (; i + 1 < dim; i += 2) {
            s0 += q[i] * m[offset + i];
            s1 += q[i + 1] * m[offset + i + 1];
        }
        for (; i < dim; i++) {
            s0 += q[i] * m[offset + i];
        }
        return s0 + s1;
    }
}
