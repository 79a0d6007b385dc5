package io.camserver.history;

import io.camserver.live.TrackOutcome;
import io.camserver.vision.Box;
import io.camserver.vision.FaceQuality;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A track outcome as bytes for the history's journal, and back. A version byte leads, so a
 * journal left by an older camserver is read by its own rules or refused with its version, never
 * misread.
 */
final class OutcomeCodec {
    /** 2 added the ignored flag; a version 1 record (from a camserver before it) reads as not ignored. */
    private static final int VERSION = 2;
    private static final int DECIDED = 1;
    private static final int ENDED = 2;

    private OutcomeCodec() {
    }

    static byte[] encode(TrackOutcome o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(o instanceof TrackOutcome.Decided d ? d.snapshot().length + 16_384 : 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            switch (o) {
                case TrackOutcome.Decided d -> {
                    out.writeByte(DECIDED);
                    out.writeUTF(d.cameraId());
                    out.writeLong(d.trackId());
                    optional(out, d.personId());
                    out.writeUTF(d.personName());
                    out.writeFloat(d.similarity());
                    out.writeFloat(d.box().x());
                    out.writeFloat(d.box().y());
                    out.writeFloat(d.box().w());
                    out.writeFloat(d.box().h());
                    out.writeLong(d.firstSeen().toEpochMilli());
                    out.writeLong(d.at().toEpochMilli());
                    out.writeUTF(d.modelId());
                    out.writeInt(d.embedding().length);
                    for (float f : d.embedding()) {
                        out.writeFloat(f);
                    }
                    blob(out, d.crop());
                    blob(out, d.thumbnail());
                    blob(out, d.snapshot());
                    out.writeUTF(d.eventId());
                    out.writeFloat(d.quality().height());
                    out.writeFloat(d.quality().sharpness());
                    out.writeFloat(d.quality().yaw());
                    out.writeBoolean(d.ignored());
                }
                case TrackOutcome.Ended e -> {
                    out.writeByte(ENDED);
                    out.writeUTF(e.cameraId());
                    out.writeLong(e.trackId());
                    out.writeLong(e.at().toEpochMilli());
                    out.writeFloat(e.bestSimilarity());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static TrackOutcome decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != 1) {
                throw new IllegalArgumentException("journal record version " + version + ", this camserver reads version " + VERSION);
            }
            int kind = in.readUnsignedByte();
            return switch (kind) {
                case DECIDED -> {
                    String camera = in.readUTF();
                    long track = in.readLong();
                    String person = optional(in);
                    String name = in.readUTF();
                    float similarity = in.readFloat();
                    Box box = new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
                    Instant first = Instant.ofEpochMilli(in.readLong());
                    Instant at = Instant.ofEpochMilli(in.readLong());
                    String model = in.readUTF();
                    float[] embedding = new float[in.readInt()];
                    for (int i = 0; i < embedding.length; i++) {
                        embedding[i] = in.readFloat();
                    }
                    byte[] crop = blob(in);
                    byte[] thumbnail = blob(in);
                    byte[] snapshot = blob(in);
                    String event = in.readUTF();
                    FaceQuality quality = new FaceQuality(in.readFloat(), in.readFloat(), in.readFloat());
                    boolean ignored = version >= 2 && in.readBoolean();
                    yield new TrackOutcome.Decided(camera, track, person, name, similarity, box, first, at, model, embedding, crop, thumbnail,
                            snapshot, event, quality, ignored);
                }
                case ENDED -> new TrackOutcome.Ended(in.readUTF(), in.readLong(), Instant.ofEpochMilli(in.readLong()), in.readFloat());
                default -> throw new IllegalArgumentException("journal record of unknown kind " + kind);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("journal record cut short (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    private static void optional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] blob(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 << 20) {
            throw new IOException("blob of " + n + " bytes");
        }
        return in.readNBytes(n);
    }
}
