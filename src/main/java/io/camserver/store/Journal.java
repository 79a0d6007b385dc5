package io.camserver.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, ordered queue of records on local disk that survives a restart: what could not be
 * written or sent yet (sightings while the database is away, webhook deliveries) waits here, oldest
 * first, until its owner takes it out. One file per record, written to a temporary name and renamed
 * into place, so a crash leaves either the whole record or none of it; a half-written temporary is
 * removed on open. Bounded by count and bytes: a record that does not fit is refused and counted
 * (the disk of an edge box is small, and the oldest records are the ones waiting longest to be
 * written, so they are kept). One owner thread appends and removes; counts may be read anywhere.
 */
public final class Journal {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final String SUFFIX = ".rec";

    /** A record in the journal: its sequence number (the order) and its bytes. */
    public record Entry(long seq, byte[] data) {
    }

    private final Path dir;
    private final int maxEntries;
    private final long maxBytes;
    private final ArrayDeque<Long> seqs = new ArrayDeque<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile int size;
    private long nextSeq;

    /** Opens (creating it 0700) the journal in {@code dir}, finding the records a previous run left. */
    public Journal(Path dir, int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a journal needs room for a record (maxEntries " + maxEntries + ", maxBytes " + maxBytes + ")");
        }
        this.dir = Objects.requireNonNull(dir, "dir");
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        List<Long> found = new ArrayList<>();
        try {
            PrivateFiles.directory(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(SUFFIX)) {
                        found.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                        bytes.addAndGet(Files.size(f));
                    } else if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(f); // a record being written when the process died
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new StoreException("cannot open the journal " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Collections.sort(found);
        seqs.addAll(found);
        size = seqs.size();
        nextSeq = found.isEmpty() ? 1 : found.get(found.size() - 1) + 1;
        if (size > 0) {
            log.info("journal {}: {} records left by the last run ({} bytes), kept in order", dir, size, bytes.get());
        }
    }

    /** Appends a record at the end; false (and counted) when it does not fit or cannot be written. */
    public boolean append(byte[] data) {
        if (size >= maxEntries || bytes.get() + data.length > maxBytes) {
            refused.incrementAndGet();
            return false;
        }
        long seq = nextSeq++;
        Path tmp = dir.resolve(seq + ".tmp");
        try {
            PrivateFiles.file(tmp);
            Files.write(tmp, data);
            Files.move(tmp, file(seq), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            refused.incrementAndGet();
            log.warn("journal {}: cannot write record {} ({} bytes): {}", dir, seq, data.length, e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the open of the next run removes it
            }
            return false;
        }
        seqs.addLast(seq);
        bytes.addAndGet(data.length);
        size = seqs.size();
        return true;
    }

    /** The oldest record, which stays until {@link #remove}d. */
    public Optional<Entry> first() {
        Long seq = seqs.peekFirst();
        if (seq == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Entry(seq, Files.readAllBytes(file(seq))));
        } catch (IOException e) {
            throw new StoreException("journal " + dir + ": cannot read record " + seq + ": " + e.getMessage(), e);
        }
    }

    /** Removes the oldest record, which must be {@code entry}. */
    public void remove(Entry entry) {
        Long seq = seqs.peekFirst();
        if (seq == null || seq != entry.seq()) {
            throw new IllegalStateException("journal " + dir + ": removing record " + entry.seq() + " but the oldest is " + seq);
        }
        seqs.removeFirst();
        size = seqs.size();
        bytes.addAndGet(-entry.data().length);
        try {
            Files.deleteIfExists(file(seq));
        } catch (IOException e) {
            log.warn("journal {}: cannot remove record {}: {}", dir, seq, e.getMessage());
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long bytes() {
        return bytes.get();
    }

    /** Records refused because the journal was full or the disk would not take them. */
    public long refused() {
        return refused.get();
    }

    public Path dir() {
        return dir;
    }

    private Path file(long seq) {
        return dir.resolve(seq + SUFFIX);
    }
}
