package io.camserver.ingest;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;

import io.camserver.store.CameraStore;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Cameras managed at run time (the API and the UI's form): validated here, kept in the database
 * (so they survive restarts and every replica of a scale-out sees them) and started in the
 * registry, or, in a scale-out, by whichever replica owns each (the coordinator reads
 * {@link #entries()} at every heartbeat). Cameras from the config file and self-registered
 * ESP32s are not this catalog's: it refuses their ids, and they keep working as before.
 */
public final class CameraCatalog {
    /** An id already used by another camera. */
    public static final class Taken extends RuntimeException {
        public Taken(String message) {
            super(message);
        }
    }

    /** Too many camera tests at once: try again shortly. */
    public static final class Busy extends RuntimeException {
        public Busy(String message) {
            super(message);
        }
    }

    /** Tests connect out on an admin's word; a few at once is plenty, and bounds what a stolen session can do. */
    private final java.util.concurrent.Semaphore tests = new java.util.concurrent.Semaphore(2);
    private final CameraRegistry registry;
    private final CameraStore store;
    private final Set<String> configured;
    private final boolean scaledOut;
    private final String ffmpeg;
    private final IngestLimits limits;
    private volatile Map<String, CameraSpec> known = Map.of();

    /**
     * @param configured ids of the config file's cameras (never the catalog's)
     * @param scaledOut  true in a scale-out: the coordinator starts what this replica owns
     */
    public CameraCatalog(CameraRegistry registry, CameraStore store, Set<String> configured, boolean scaledOut, String ffmpeg, IngestLimits limits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.store = Objects.requireNonNull(store, "store");
        this.configured = Set.copyOf(configured);
        this.scaledOut = scaledOut;
        this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Every entry, from the database (a scale-out's coordinator asks at every heartbeat). */
    public List<CameraSpec> entries() {
        List<CameraSpec> all = store.list().stream().map(CameraCatalog::spec).toList();
        remember(all);
        return all;
    }

    public Optional<CameraSpec> get(String id) {
        return store.get(id).map(CameraCatalog::spec);
    }

    /**
     * An entry as last read or written here, for display (the camera list is polled): no database
     * read per camera per listing. In a scale-out it may lag another replica's change by a heartbeat.
     */
    public Optional<CameraSpec> known(String id) {
        return Optional.ofNullable(known.get(id));
    }

    private void remember(List<CameraSpec> all) {
        Map<String, CameraSpec> m = new java.util.HashMap<>();
        all.forEach(e -> m.put(e.id(), e));
        known = Map.copyOf(m);
    }

    /** Starts every stored camera (single server; a scale-out's coordinator does it instead). */
    public void startAll() {
        List<CameraSpec> all = entries();
        if (scaledOut) {
            return;
        }
        for (CameraSpec e : all) {
            try {
                start(e);
            } catch (IllegalArgumentException ex) {
                // One bad row must not keep the others (or the server) down.
                org.slf4j.LoggerFactory.getLogger(CameraCatalog.class).warn("camera {}: not started: {}", e.id(), ex.getMessage());
            }
        }
    }

    private void start(CameraSpec e) {
        registry.add(e.id(), e.source(ffmpeg), Camera.Origin.API);
    }

    /** Adds a camera from a request's fields (JSON values as strings, absent keys missing). */
    public CameraSpec add(Map<String, Object> fields) {
        CameraSpec e = CameraSpec.parse(fields, null);
        if (configured.contains(e.id()) || registry.get(e.id()).isPresent() || store.get(e.id()).isPresent()) {
            throw new Taken("camera id '" + e.id() + "' is already used");
        }
        try {
            store.insert(row(e));
        } catch (IllegalStateException dup) {
            throw new Taken("camera id '" + e.id() + "' is already used");
        }
        entries();
        if (!scaledOut) {
            start(e);
        }
        return e;
    }

    /** Changes a managed camera; fields not given keep their values (a password is kept unless given). */
    public CameraSpec update(String id, Map<String, Object> fields) {
        CameraSpec old = get(id).orElseThrow(() -> configured.contains(id) || registry.get(id).isPresent()
                ? new Taken("camera '" + id + "' is not managed here: it comes from the config file or registered itself")
                : new java.util.NoSuchElementException("no camera '" + id + "'"));
        if (fields.containsKey("id") && !id.equals(String.valueOf(fields.get("id")))) {
            throw new InvalidField("id", "a camera's id cannot change (delete it and add it again)");
        }
        CameraSpec e = CameraSpec.parse(fields, old);
        store.update(row(e));
        entries();
        if (!scaledOut) {
            registry.remove(id);
            start(e);
        }
        return e;
    }

    /** Forgets a managed camera (the registry's removal is the caller's, as for any camera). */
    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        entries();
        return deleted;
    }

    /**
     * Connects once with the given fields and waits for the first frame: the form's "test"
     * button. Returns the JPEG, or throws {@link InvalidField} (field {@code url}) saying why not.
     */
    public byte[] test(Map<String, Object> fields, Duration wait) throws InterruptedException {
        Map<String, Object> f = new java.util.HashMap<>(fields);
        f.putIfAbsent("id", "test");
        CameraSpec e = CameraSpec.parse(f, null);
        refuseLinkLocal(e.url());
        if (!tests.tryAcquire()) {
            throw new Busy("two camera tests are running already; try again when one has finished");
        }
        try {
            return connectOnce(e, wait);
        } finally {
            tests.release();
        }
    }

    /**
     * A camera is never on a link-local address (169.254/16, fe80::/10): that is where cloud
     * metadata services answer, so a test aimed there, by address or by a name that resolves there
     * (now or after a DNS change), is refused by what the name resolves to, every address of it.
     */
    static void refuseLinkLocal(URI url) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(url.getHost().replace("[", "").replace("]", ""));
        } catch (java.net.UnknownHostException ex) {
            throw new InvalidField("url", "unknown host " + url.getHost());
        }
        for (InetAddress a : all) {
            if (a.isLinkLocalAddress() || a.getHostAddress().equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254")) {
                throw new InvalidField("url", "url's host " + url.getHost() + " is at " + a.getHostAddress()
                        + ", a link-local address where cloud metadata services live, not a camera: not tested");
            }
        }
    }

    private byte[] connectOnce(CameraSpec e, Duration wait) throws InterruptedException {
        FrameFeed.Opener opener = e.source(ffmpeg).opener("test", limits, registry.rtspChildren());
        BlockingQueue<Object> result = new ArrayBlockingQueue<>(1);
        java.util.concurrent.atomic.AtomicReference<FrameFeed> open = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofVirtual().name("camera-test").start(() -> {
            try (FrameFeed feed = opener.open()) {
                open.set(feed);
                Optional<byte[]> first = Optional.empty();
                for (int i = 0; i < 50 && first.isEmpty(); i++) {
                    Optional<byte[]> part = feed.next();
                    if (part.isEmpty()) {
                        break;
                    }
                    if (io.camserver.image.ImageFormat.isJpeg(part.get())) {
                        first = part;
                    }
                }
                result.offer(first.<Object>map(b -> b).orElse("the camera sent no JPEG frame"));
            } catch (java.io.IOException ex) {
                result.offer(ex instanceof StreamException ? ex.getMessage() : ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : " (" + ex.getMessage() + ")"));
            } catch (RuntimeException ex) {
                result.offer("failed: " + ex.getClass().getSimpleName());
            }
        });
        Object r = result.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            // Closing the feed unblocks its read (and ends an FFmpeg child) at once.
            FrameFeed feed = open.get();
            if (feed != null) {
                feed.close();
            }
            t.interrupt();
            throw new InvalidField("url", "no frame within " + wait.toSeconds() + " s");
        }
        if (r instanceof byte[] jpeg) {
            return jpeg;
        }
        throw new InvalidField("url", (String) r);
    }

    /** A stored row as a spec; rows were validated when written, so only the types are converted. */
    private static CameraSpec spec(CameraStore.Row r) {
        return new CameraSpec(r.id(), URI.create(r.url()), CameraSpec.Kind.valueOf(r.kind().toUpperCase(Locale.ROOT)), r.fps(),
                "udp".equals(r.transport()), Duration.ofMillis(r.intervalMs()), r.username(), r.password(), r.insecure(),
                CameraSpec.Auth.valueOf(r.auth().toUpperCase(Locale.ROOT)));
    }

    private static CameraStore.Row row(CameraSpec e) {
        return new CameraStore.Row(e.id(), e.url().toString(), e.kind().name().toLowerCase(Locale.ROOT), e.fps(), e.udp() ? "udp" : "tcp",
                e.interval().toMillis(), e.username(), e.password(), e.insecure(), e.auth().name().toLowerCase(Locale.ROOT),
                System.currentTimeMillis());
    }
}
