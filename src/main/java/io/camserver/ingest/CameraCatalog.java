package io.camserver.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    /** Where entries are kept; implemented by the database layer. */
    public interface Store {
        List<Entry> list();

        Optional<Entry> get(String id);

        /** @throws IllegalStateException when the id is taken */
        void insert(Entry e);

        void update(Entry e);

        boolean delete(String id);
    }

    /** An id already used by another camera. */
    public static final class Taken extends RuntimeException {
        public Taken(String message) {
            super(message);
        }
    }

    /**
     * One managed camera. {@code url} never holds credentials: they are {@code username} and
     * {@code password}, joined into the URL only to connect.
     */
    public record Entry(String id, URI url, CameraRegistry.StaticKind kind, double fps, boolean udp, Duration interval, String username,
                        String password, boolean insecure, long updatedAt) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(interval, "interval");
        }

        /** The URL to connect with: credentials put back in, percent-encoded. */
        public URI connectUrl() {
            if (username == null || username.isEmpty()) {
                return url;
            }
            String info = enc(username) + ":" + enc(password == null ? "" : password);
            String s = url.toString();
            int at = s.indexOf("://") + 3;
            return URI.create(s.substring(0, at) + info + "@" + s.substring(at));
        }

        private static String enc(String v) {
            return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
        }

        /** Where its frames come from, credentials joined into the URL. */
        public CameraRegistry.Source source(String ffmpeg) {
            return new CameraRegistry.Source(connectUrl(), kind, interval, new RtspSource.Options(ffmpeg, udp, fps, 1280), insecure);
        }

        @Override
        public String toString() {
            return "Entry[" + id + ", " + url + ", " + kind + (username == null ? "" : ", user " + username + ", ***") + "]";
        }
    }

    private final CameraRegistry registry;
    private final Store store;
    private final Set<String> configured;
    private final boolean clustered;
    private final String ffmpeg;
    private final IngestLimits limits;
    private volatile Map<String, Entry> known = Map.of();

    /**
     * @param configured ids of the config file's cameras (never the catalog's)
     * @param clustered  true in a scale-out: the coordinator starts what this replica owns
     */
    public CameraCatalog(CameraRegistry registry, Store store, Set<String> configured, boolean clustered, String ffmpeg, IngestLimits limits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.store = Objects.requireNonNull(store, "store");
        this.configured = Set.copyOf(configured);
        this.clustered = clustered;
        this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Every entry, from the database (a scale-out's coordinator asks at every heartbeat). */
    public List<Entry> entries() {
        List<Entry> all = store.list();
        remember(all);
        return all;
    }

    public Optional<Entry> get(String id) {
        return store.get(id);
    }

    /**
     * An entry as last read or written here, for display (the camera list is polled): no database
     * read per camera per listing. In a scale-out it may lag another replica's change by a heartbeat.
     */
    public Optional<Entry> known(String id) {
        return Optional.ofNullable(known.get(id));
    }

    private void remember(List<Entry> all) {
        Map<String, Entry> m = new java.util.HashMap<>();
        all.forEach(e -> m.put(e.id(), e));
        known = Map.copyOf(m);
    }

    /** Starts every stored camera (single server; a scale-out's coordinator does it instead). */
    public void startAll() {
        List<Entry> all = entries();
        if (clustered) {
            return;
        }
        for (Entry e : all) {
            try {
                start(e);
            } catch (IllegalArgumentException ex) {
                // One bad row must not keep the others (or the server) down.
                org.slf4j.LoggerFactory.getLogger(CameraCatalog.class).warn("camera {}: not started: {}", e.id(), ex.getMessage());
            }
        }
    }

    private void start(Entry e) {
        registry.addStatic(e.id(), e.source(ffmpeg), Camera.Origin.API);
    }

    /** Adds a camera from a request's fields (JSON values as strings, absent keys missing). */
    public Entry add(Map<String, Object> fields) {
        Entry e = parse(null, fields);
        if (configured.contains(e.id()) || registry.get(e.id()).isPresent() || store.get(e.id()).isPresent()) {
            throw new Taken("camera id '" + e.id() + "' is already used");
        }
        try {
            store.insert(e);
        } catch (IllegalStateException dup) {
            throw new Taken("camera id '" + e.id() + "' is already used");
        }
        remember(store.list());
        if (!clustered) {
            start(e);
        }
        return e;
    }

    /** Changes a managed camera; fields not given keep their values (a password is kept unless given). */
    public Entry update(String id, Map<String, Object> fields) {
        Entry old = store.get(id).orElseThrow(() -> configured.contains(id) || registry.get(id).isPresent()
                ? new Taken("camera '" + id + "' is not managed here: it comes from the config file or registered itself")
                : new java.util.NoSuchElementException("no camera '" + id + "'"));
        if (fields.containsKey("id") && !id.equals(String.valueOf(fields.get("id")))) {
            throw new InvalidField("id", "a camera's id cannot change (delete it and add it again)");
        }
        Entry e = parse(old, fields);
        store.update(e);
        remember(store.list());
        if (!clustered) {
            registry.remove(id);
            start(e);
        }
        return e;
    }

    /** Forgets a managed camera (the registry's removal is the caller's, as for any camera). */
    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        remember(store.list());
        return deleted;
    }

    /**
     * Connects once with the given fields and waits for the first frame: the form's "test"
     * button. Returns the JPEG, or throws {@link InvalidField} (field {@code url}) saying why not.
     */
    public byte[] test(Map<String, Object> fields, Duration wait) throws InterruptedException {
        Map<String, Object> f = new java.util.HashMap<>(fields);
        f.putIfAbsent("id", "test");
        Entry e = parse(null, f);
        FrameFeed.Opener opener = e.source(ffmpeg).opener("test", limits);
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

    private static final Set<String> FIELDS = Set.of("id", "url", "kind", "fps", "transport", "interval", "username", "password", "insecure");

    private Entry parse(Entry old, Map<String, Object> f) {
        for (String k : f.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new InvalidField(k, "unknown field '" + k + "'; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String id = old != null ? old.id() : str(f, "id").orElseThrow(() -> new InvalidField("id", "id is required"));
        if (!Camera.ID.matcher(id).matches()) {
            throw new InvalidField("id", "id must be 1-63 of a-z 0-9 - starting with a letter or digit");
        }
        URI url;
        String userFromUrl = null;
        String passFromUrl = null;
        Optional<String> rawUrl = str(f, "url");
        if (rawUrl.isPresent()) {
            try {
                url = new URI(rawUrl.get().trim());
            } catch (URISyntaxException e) {
                throw new InvalidField("url", "url is not a URL");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("rtsp")) {
                throw new InvalidField("url", "url must be http(s):// (MJPEG or snapshot) or rtsp:// (was "
                        + (scheme.isEmpty() ? "no scheme" : scheme + "://") + ")");
            }
            if (url.getHost() == null) {
                throw new InvalidField("url", "url has no host");
            }
            if (url.getRawUserInfo() != null) {
                // Credentials written into the URL are taken out of it and kept apart.
                Optional<HttpAuth.Credentials> c = HttpAuth.Credentials.of(url);
                userFromUrl = c.map(HttpAuth.Credentials::user).orElse(null);
                passFromUrl = c.map(HttpAuth.Credentials::password).orElse(null);
                String s = url.toString();
                url = URI.create(s.replace(url.getRawUserInfo() + "@", ""));
            }
        } else if (old != null) {
            url = old.url();
        } else {
            throw new InvalidField("url", "url is required");
        }
        boolean rtsp = "rtsp".equalsIgnoreCase(url.getScheme());
        String kindText = str(f, "kind").orElse(old != null && rawUrl.isEmpty() ? old.kind().name().toLowerCase(Locale.ROOT)
                : rtsp ? "rtsp" : "mjpeg");
        CameraRegistry.StaticKind kind = switch (kindText) {
            case "mjpeg" -> CameraRegistry.StaticKind.MJPEG;
            case "snapshot" -> CameraRegistry.StaticKind.SNAPSHOT;
            case "rtsp" -> CameraRegistry.StaticKind.RTSP;
            default -> throw new InvalidField("kind", "kind must be mjpeg, snapshot or rtsp");
        };
        if (rtsp != (kind == CameraRegistry.StaticKind.RTSP)) {
            throw new InvalidField("kind", "kind " + kindText + " does not fit a " + url.getScheme() + ":// url");
        }
        double fps = num(f, "fps").orElse(old != null ? old.fps() : 10.0);
        if (!(fps > 0 && fps <= 60)) {
            throw new InvalidField("fps", "fps must be in (0, 60]");
        }
        String transport = str(f, "transport").orElse(old != null && old.udp() ? "udp" : "tcp");
        if (!transport.equals("tcp") && !transport.equals("udp")) {
            throw new InvalidField("transport", "transport must be tcp or udp");
        }
        Duration interval = str(f, "interval").map(CameraCatalog::duration)
                .orElse(old != null ? old.interval() : Duration.ofMillis(500));
        if (interval.toMillis() < 50) {
            throw new InvalidField("interval", "interval must be at least 50ms");
        }
        String user = str(f, "username").orElse(userFromUrl != null ? userFromUrl : old != null ? old.username() : null);
        String pass = str(f, "password").orElse(passFromUrl != null ? passFromUrl : old != null ? old.password() : null);
        String insecureText = str(f, "insecure").orElse(old != null && old.insecure() ? "true" : "false");
        if (!insecureText.equals("true") && !insecureText.equals("false")) {
            throw new InvalidField("insecure", "insecure must be true or false");
        }
        return new Entry(id, url, kind, fps, transport.equals("udp"), interval, user, pass, insecureText.equals("true"), System.currentTimeMillis());
    }

    private static Duration duration(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s)").matcher(v.trim());
        if (!m.matches()) {
            throw new InvalidField("interval", "interval must be a duration like 500ms or 2s");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    private static Optional<String> str(Map<String, Object> f, String k) {
        Object v = f.get(k);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    private static Optional<Double> num(Map<String, Object> f, String k) {
        Object v = f.get(k);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        try {
            return Optional.of(Double.parseDouble(String.valueOf(v)));
        } catch (NumberFormatException e) {
            throw new InvalidField(k, k + " must be a number");
        }
    }
}
