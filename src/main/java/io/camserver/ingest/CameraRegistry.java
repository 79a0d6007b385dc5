package io.camserver.ingest;

import io.camserver.ingest.rtsp.FfmpegChildren;

import io.camserver.ingest.http.HttpAuth;

import io.camserver.ingest.stream.FrameFeed;
import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.mjpeg.MjpegFeed;
import io.camserver.ingest.mjpeg.SnapshotFeed;
import io.camserver.ingest.rtsp.RtspSource;
import io.camserver.ingest.registration.RegistrationPolicy;
import io.camserver.ingest.registration.IpLiteral;

import io.camserver.metrics.Metrics;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of cameras and their pullers. Registration is idempotent: a camera re-registers every
 * 15 s while idle, and that refreshes the one existing camera (waking its puller if it is
 * waiting to reconnect) instead of starting another puller, as the demo server did.
 */
public final class CameraRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CameraRegistry.class);

    /** Told about cameras coming, going, streaming and failing, and frames arriving; called on the puller's thread. */
    public interface Listener {
        void added(Camera camera);

        void frameArrived(Camera camera, Frame frame);

        void removed(Camera camera);

        /** The camera's stream started delivering frames. */
        default void online(Camera camera, Instant at) {
        }

        /** The camera's stream failed; {@code reason} is the last error in words. */
        default void offline(Camera camera, Instant at, String reason) {
        }
    }

    /** The outcome of a registration. */
    public sealed interface Registration permits Accepted, Refused {
    }

    /**
     * @param camera the local camera, or null when another replica pulls it (scale-out)
     * @param what   {@code created}, {@code refreshed}, {@code new-token} or {@code recorded}
     */
    public record Accepted(Camera camera, String what) implements Registration {
    }

    /** Anything that takes a registration: this registry, or the scale-out coordinator. */
    @FunctionalInterface
    public interface Registrar {
        /** @param source the address the request came from ({@link RegistrationPolicy#sourceOf}) */
        Registration register(String ip, String token, String key, InetAddress source);

        /** Forgets a camera's registration everywhere it is kept (scale-out: the shared table). */
        default void forget(String cameraId) {
        }
    }

    public record Refused(int status, String reason) implements Registration {
    }

    private final RegistrationPolicy policy;
    private final IngestLimits limits;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration staleAfter;
    private final Metrics metrics;
    private final List<Listener> listeners;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final FfmpegChildren rtspChildren;
    private boolean closed;

    public CameraRegistry(RegistrationPolicy policy, IngestLimits limits, Duration backoffInitial, Duration backoffMax,
                          Duration staleAfter, Metrics metrics, List<Listener> listeners) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        new Backoff(backoffInitial, backoffMax); // validates the pair now, at start
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
        this.listeners = List.copyOf(listeners); // told in this order
        this.rtspChildren = new FfmpegChildren(policy.maxCameras() + 2); // every camera, and two tests
    }

    public RegistrationPolicy policy() {
        return policy;
    }

    /** Handles {@code GET /register?ip=&token=[&key=]} that came from {@code source}. */
    public synchronized Registration register(String ip, String token, String key, InetAddress source) {
        RegistrationPolicy.Result r = policy.check(ip, token, key, source);
        if (!r.ok()) {
            return new Refused(r.refusal().status(), r.refusal().reason());
        }
        if (!cameras.containsKey(Camera.idFor(r.address()))) {
            long fromThere = cameras.values().stream()
                    .filter(c -> c.address().map(a -> a.address().equals(source)).orElse(false)).count();
            if (fromThere >= policy.maxPerAddress()) {
                return new Refused(429, perAddressLimit(fromThere, source, policy));
            }
        }
        return registerTrusted(r.address(), token);
    }

    /** The refusal text for a source address at its cap, shared with the scale-out coordinator. */
    public static String perAddressLimit(long count, InetAddress source, RegistrationPolicy policy) {
        return count + " cameras are already registered from " + source.getHostAddress() + ", the limit of "
                + policy.maxPerAddress() + " (registration.maxPerAddress)";
    }

    /**
     * Registers an address and token that were already checked against the policy (by this
     * replica or, in a scale-out deployment, by the replica that received the registration).
     */
    public synchronized Registration registerTrusted(IpLiteral.HostPort hp, String token) {
        if (closed) {
            return new Refused(503, "server is shutting down");
        }
        String id = Camera.idFor(hp);
        Instant now = Instant.now();
        Camera existing = cameras.get(id);
        if (existing != null) {
            if (existing.origin() != Camera.Origin.REGISTERED) {
                return new Refused(409, "camera " + id + " is configured statically; it cannot also register");
            }
            if (token.equals(existing.token().orElse(null))) {
                existing.refreshed(now);
                if (existing.puller().status().state() != CameraState.STREAMING) {
                    existing.puller().kick(); // it says it is up and idle: try now
                }
                return new Accepted(existing, "refreshed");
            }
            URI url = Camera.streamUrl(hp, token);
            existing.retargeted(token, url, now);
            existing.puller().retarget(() -> MjpegFeed.open(url, limits));
            log.info("camera {} re-registered with a new token (rebooted)", id);
            return new Accepted(existing, "new-token");
        }
        if (cameras.size() >= policy.maxCameras()) {
            return new Refused(429, "camera limit of " + policy.maxCameras() + " reached (registration.maxCameras)");
        }
        URI url = Camera.streamUrl(hp, token);
        Camera c = new Camera(id, Camera.Origin.REGISTERED, url, hp, token);
        start(c, () -> MjpegFeed.open(url, limits));
        log.info("camera {} registered from {}", id, hp.authority());
        return new Accepted(c, "created");
    }

    /**
     * Where a configured or API-added camera's frames come from: the URL, how to read it, and the
     * options of each way (snapshot interval, FFmpeg's for RTSP, the TLS check for https).
     */
    public record Source(URI url, CameraSpec.Kind kind, Duration interval, RtspSource.Options rtsp, boolean insecure, boolean basicOverHttp) {
        public Source {
            java.util.Objects.requireNonNull(url, "url");
            java.util.Objects.requireNonNull(kind, "kind");
            java.util.Objects.requireNonNull(interval, "interval");
            java.util.Objects.requireNonNull(rtsp, "rtsp");
        }

        /** The defaults for everything but the URL and its kind. */
        public static Source of(URI url, CameraSpec.Kind kind, Duration interval) {
            return new Source(url, kind, interval, RtspSource.Options.DEFAULT, false, false);
        }

        /** Opens connections to it (a new one per call). */
        public FrameFeed.Opener opener(String cameraId, IngestLimits limits, FfmpegChildren children) {
            HttpAuth auth = new HttpAuth(basicOverHttp); // what this camera's connections remember of its challenge
            return switch (kind) {
                case MJPEG -> () -> MjpegFeed.open(url, limits, java.util.Map.of(), insecure, auth);
                case SNAPSHOT -> () -> new SnapshotFeed(url, limits, interval, insecure, auth);
                case RTSP -> new RtspSource(cameraId, url, limits, rtsp, children);
            };
        }
    }

    /** Adds a camera pulled from {@code url} with the default options, as from the config file. */
    public synchronized Camera add(String id, URI url, CameraSpec.Kind kind, Duration snapshotInterval) {
        return add(id, Source.of(url, kind, snapshotInterval), Camera.Origin.CONFIG);
    }

    /** Adds a camera pulled from a URL: from the config file ({@code CONFIG}) or the API ({@code API}). */
    public synchronized Camera add(String id, Source source, Camera.Origin origin) {
        if (cameras.containsKey(id)) {
            throw new IllegalArgumentException("camera id '" + id + "' is used twice");
        }
        URI url = source.url();
        boolean rtspUrl = "rtsp".equalsIgnoreCase(url.getScheme());
        boolean httpUrl = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
        boolean rtsp = source.kind() == CameraSpec.Kind.RTSP;
        if (rtsp ? !rtspUrl || url.getHost() == null : !httpUrl || url.getHost() == null) {
            throw new IllegalArgumentException("camera " + id + ": url must be " + (rtsp ? "rtsp" : "http(s)")
                    + "://host[:port]/path (was " + Camera.masked(url) + ")");
        }
        if (source.insecure() && "https".equalsIgnoreCase(url.getScheme())) {
            log.warn("camera {}: its TLS certificate is not checked (insecure: true): encrypted, but not authenticated", id);
        }
        if (cameras.size() >= policy.maxCameras()) {
            throw new IllegalArgumentException("camera " + id + ": over registration.maxCameras (" + policy.maxCameras() + ")");
        }
        Camera c = new Camera(id, origin, url, null, null);
        FrameFeed.Opener opener = source.opener(id, limits, rtspChildren);
        start(c, opener);
        if (opener instanceof RtspSource r) {
            metrics.cameraFunctionCounter(id, "camserver.camera.decode.cpu.seconds", "CPU seconds the camera's FFmpeg spent decoding (RTSP)", r,
                    RtspSource::cpuSeconds);
        }
        return c;
    }

    private void start(Camera c, FrameFeed.Opener opener) {
        CameraPuller p = new CameraPuller(c.id(), opener, new Backoff(backoffInitial, backoffMax),
                f -> {
                    c.slot().put(f);
                    listeners.forEach(l -> l.frameArrived(c, f));
                }, new CameraPuller.StateChanges() {
                    @Override
                    public void online(Instant at) {
                        listeners.forEach(l -> l.online(c, at));
                    }

                    @Override
                    public void offline(Instant at, String reason) {
                        listeners.forEach(l -> l.offline(c, at, reason));
                    }
                }, staleAfter);
        c.attach(p);
        // Ingest counts what ingest sees: frames pulled and reconnects, per camera.
        metrics.cameraFunctionCounter(c.id(), "camserver.frames.received", "frames that arrived from the camera", p,
                x -> x.status().frames());
        metrics.cameraFunctionCounter(c.id(), "camserver.camera.reconnects", "reconnect attempts", p, x -> x.status().reconnects());
        cameras.put(c.id(), c);
        listeners.forEach(l -> l.added(c));
        p.start();
    }

    /** Stops and forgets a camera; false if there was none. */
    public boolean remove(String id) {
        Camera c;
        synchronized (this) {
            c = cameras.remove(id);
        }
        if (c == null) {
            return false;
        }
        c.puller().stop();
        listeners.forEach(l -> l.removed(c));
        metrics.removeCamera(id);
        log.info("camera {} removed", id);
        return true;
    }

    /**
     * Forgets registered cameras that are not streaming and have neither registered nor sent a
     * frame for {@code registration.expireAfter}: an entry that never streamed (a fake or a
     * mistyped registration), a camera unplugged for good, or one that moved to another address.
     * A real idle camera re-registers every 15 s and so is never forgotten.
     */
    public void expire() {
        Instant cutoff = Instant.now().minus(policy.expireAfter());
        List<String> stale = new ArrayList<>();
        synchronized (this) {
            for (Camera c : cameras.values()) {
                if (c.origin() == Camera.Origin.REGISTERED && c.puller().status().state() != CameraState.STREAMING
                        && c.lastActivity().isBefore(cutoff)) {
                    stale.add(c.id());
                }
            }
        }
        stale.forEach(id -> {
            log.info("camera {} expired: no registration or frame for {} s (registration.expireAfter)", id,
                    policy.expireAfter().toSeconds());
            remove(id);
        });
    }

    /** Reconnects every camera that is connected but has sent no frame for {@code ingest.staleAfter}. */
    public void checkStale() {
        long now = System.nanoTime();
        for (Camera c : cameras()) {
            c.puller().checkStale(now);
        }
    }

    public synchronized List<Camera> cameras() {
        List<Camera> list = new ArrayList<>(cameras.values());
        list.sort(Comparator.comparing(Camera::id));
        return list;
    }

    public synchronized Optional<Camera> get(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    public synchronized int size() {
        return cameras.size();
    }

    @Override
    public void close() {
        List<String> ids;
        synchronized (this) {
            closed = true;
            ids = new ArrayList<>(cameras.keySet());
        }
        ids.forEach(this::remove);
        rtspChildren.close(); // each removal ended its camera's child; this catches any that did not end
    }

    /** The FFmpeg children reading this registry's RTSP cameras. */
    public FfmpegChildren rtspChildren() {
        return rtspChildren;
    }
}
