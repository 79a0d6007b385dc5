package io.camserver.track;

import io.camserver.vision.Box;
import java.time.Instant;

/**
 * One face followed across a camera's frames. Mutable, and owned by the single worker that is
 * processing its camera at any moment (see the analysis scheduler); never shared otherwise.
 */
public final class Track {
    private final long id;
    /** The sighting's id in the event history, fixed at the track's birth so that every message about it can name it. */
    private final String eventId = java.util.UUID.randomUUID().toString();
    private final Instant firstSeenAt;
    private final NameVote vote;
    private Box box;
    private long lastSeenNanos;
    private Instant lastSeenAt;
    private long lastEmbedNanos = Long.MIN_VALUE;
    private int embeds;
    private float bestSimilarity;
    private boolean lastViewPoor;
    /** Sum of the track's embeddings (unit vectors), for their mean. */
    private float[] sum;

    Track(long id, Box box, long nowNanos, Instant now, int votesToDecide) {
        this.id = id;
        this.box = box;
        this.firstSeenAt = now;
        this.lastSeenAt = now;
        this.lastSeenNanos = nowNanos;
        this.vote = new NameVote(votesToDecide);
    }

    public long id() {
        return id;
    }

    public String eventId() {
        return eventId;
    }

    public Box box() {
        return box;
    }

    public Instant firstSeenAt() {
        return firstSeenAt;
    }

    public Instant lastSeenAt() {
        return lastSeenAt;
    }

    public NameVote vote() {
        return vote;
    }


    public int embeds() {
        return embeds;
    }

    public long lastEmbedNanos() {
        return lastEmbedNanos;
    }

    public float bestSimilarity() {
        return bestSimilarity;
    }

    /** The label drawn on the frame: the decided name, or unknown until the vote decides. */
    public String label() {
        return vote.decision().map(NameVote.Decision::name).orElse(io.camserver.gallery.Match.UNKNOWN);
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    void seen(Box b, long nowNanos, Instant now) {
        this.box = b;
        this.lastSeenNanos = nowNanos;
        this.lastSeenAt = now;
    }

    /** Its latest view was too small, blurred or turned to embed (it stays tracked). */
    public void poorView() {
        this.lastViewPoor = true;
    }

    /** Whether the latest view offered for embedding was not good enough. */
    public boolean lastViewPoor() {
        return lastViewPoor;
    }

    public void embedded(long nowNanos, float similarity, float[] embedding) {
        this.lastViewPoor = false;
        this.lastEmbedNanos = nowNanos;
        this.embeds++;
        this.bestSimilarity = Math.max(bestSimilarity, similarity);
        if (sum == null) {
            sum = new float[embedding.length];
        }
        if (sum.length == embedding.length) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += embedding[i];
            }
        }
    }

    /**
     * The mean of the track's embeddings so far, unit length: what the history keeps of the face.
     * Several views of one face average into a steadier likeness than any single frame's, so a
     * search, a visitor group or a later naming finds the sighting from views it never had.
     */
    public float[] meanEmbedding() {
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        float[] out = new float[sum.length];
        float k = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
        for (int i = 0; i < sum.length; i++) {
            out[i] = sum[i] * k;
        }
        return out;
    }
}
