package io.camserver.ingest;

import io.camserver.ingest.stream.Urls;

import io.camserver.ingest.registration.IpLiteral;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One camera: where its frames come from, the slot they land in, and the puller that moves
 * them. Registered cameras (ESP32s announcing themselves) carry the address and token they
 * registered with; the others are pulled from a URL given in the config file or through the API.
 */
public final class Camera {
    /** Ids appear in URLs: lowercase letters, digits and dashes. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Where a camera came from: it registered itself, or the server pulls a URL from the config file or the API. */
    public enum Origin { REGISTERED, CONFIG, API }

    private final String id;
    private final Origin origin;
    private final FrameSlot slot = new FrameSlot();
    private final Instant createdAt = Instant.now();
    private volatile IpLiteral.HostPort address;
    private volatile String token;
    private volatile URI url;
    private volatile Instant registeredAt;
    private volatile CameraPuller puller;

    Camera(String id, Origin origin, URI url, IpLiteral.HostPort address, String token) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("camera id must be 1-63 of a-z 0-9 - (was '" + id + "')");
        }
        this.id = id;
        this.origin = Objects.requireNonNull(origin, "origin");
        this.url = Objects.requireNonNull(url, "url");
        this.address = address;
        this.token = token;
        this.registeredAt = origin == Origin.REGISTERED ? createdAt : null;
    }

    /** The id of a registered camera: its address with dots and colons as dashes. */
    public static String idFor(IpLiteral.HostPort hp) {
        String h = hp.address().getHostAddress().toLowerCase(java.util.Locale.ROOT).replace('.', '-').replace(':', '-');
        int pct = h.indexOf('%');
        if (pct >= 0) {
            h = h.substring(0, pct);
        }
        return hp.port() == 80 ? h : h + "-" + hp.port();
    }

    /** The demo firmware's stream URL for a registered camera. */
    public static URI streamUrl(IpLiteral.HostPort hp, String token) {
        return URI.create("http://" + hp.authority() + "/stream?token=" + token);
    }

    public String id() {
        return id;
    }

    public Origin origin() {
        return origin;
    }

    public FrameSlot slot() {
        return slot;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Optional<IpLiteral.HostPort> address() {
        return Optional.ofNullable(address);
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    public URI url() {
        return url;
    }

    /** The URL with its credentials and query values masked, fit for the API, the UI and logs. */
    public String displayUrl() {
        return masked(url);
    }

    /** A camera URL as it may be shown or logged: credentials and every query value replaced by {@code ***}. */
    public static String masked(URI url) {
        return Urls.masked(url);
    }

    public Optional<Instant> registeredAt() {
        return Optional.ofNullable(registeredAt);
    }

    /** The later of the last registration and the last frame: what expiry measures from. */
    Instant lastActivity() {
        Instant reg = registeredAt == null ? createdAt : registeredAt;
        Instant frame = puller == null ? null : puller.status().lastFrameAt();
        return frame != null && frame.isAfter(reg) ? frame : reg;
    }

    public CameraPuller puller() {
        return puller;
    }

    void attach(CameraPuller p) {
        this.puller = p;
    }

    void refreshed(Instant at) {
        this.registeredAt = at;
    }

    void retargeted(String newToken, URI newUrl, Instant at) {
        this.token = newToken;
        this.url = newUrl;
        this.registeredAt = at;
    }
}
