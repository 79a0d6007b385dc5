package io.camserver.ingest;

import io.camserver.ingest.http.HttpAuth;
import io.camserver.ingest.rtsp.RtspSource;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camera the server pulls from a URL, as the config file's {@code cameras:} list and the camera
 * API describe it: the one place its fields are parsed, defaulted and validated, so the file and
 * the API accept exactly the same cameras and refuse the same mistakes in the same words.
 * (Cameras that register themselves are not described here: they give only an address.)
 *
 * <p>{@code url} never holds credentials: a user and password written into the URL are taken
 * out into {@code username} and {@code password}, and joined back only to connect
 * ({@link #connectUrl}), so that no listing, log or store of the URL carries them.
 */
public record CameraSpec(String id, URI url, Kind kind, double fps, boolean udp, Duration interval, String username, String password,
                         boolean insecure, Auth auth) {
    /** How frames are read from the URL. */
    public enum Kind { MJPEG, SNAPSHOT, RTSP }

    /**
     * Which HTTP authentication the camera's password may be sent with: {@code auto} answers Digest
     * whenever it is offered and Basic only over https (Basic over plain http is the password in
     * clear for anyone on the network); {@code basic} also answers Basic over plain http, for an
     * old camera that knows nothing else, knowingly.
     */
    public enum Auth { AUTO, BASIC }

    /** RTSP frames are scaled down to at most this width before they reach analysis. */
    public static final int MAX_WIDTH = 1280;
    public static final double DEFAULT_FPS = 10;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /** Ids that would share MQTT topics with the server's own (presence under people/, the server's status). */
    public static final Set<String> RESERVED_IDS = Set.of("people", "status");
    /** The fields a camera is described by, in the config file and in API requests. */
    public static final Set<String> FIELDS = Set.of("id", "url", "kind", "fps", "transport", "interval", "username", "password", "insecure", "auth");

    public CameraSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(auth, "auth");
    }

    /**
     * Reads a camera from {@code fields} (values as the JSON or YAML gave them; a missing key
     * takes {@code old}'s value, or the default when {@code old} is null).
     *
     * @throws InvalidField naming the first field that cannot be used, and why
     */
    public static CameraSpec parse(Map<String, ?> fields, CameraSpec old) {
        for (String k : fields.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new InvalidField(k, "unknown field '" + k + "'; known: " + String.join(", ", new TreeSet<>(FIELDS)));
            }
        }
        String id = old != null ? old.id() : str(fields, "id").orElseThrow(() -> new InvalidField("id", "id is required"));
        if (!Camera.ID.matcher(id).matches()) {
            throw new InvalidField("id", "id must be 1-63 of a-z 0-9 - starting with a letter or digit (was '" + id + "')");
        }
        if (RESERVED_IDS.contains(id)) {
            throw new InvalidField("id", "id '" + id + "' is reserved: MQTT topics camserver/" + id + "/... are the server's own");
        }
        URI url;
        String userFromUrl = null;
        String passFromUrl = null;
        Optional<String> rawUrl = str(fields, "url");
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
                Optional<HttpAuth.Credentials> c = HttpAuth.Credentials.of(url);
                userFromUrl = c.map(HttpAuth.Credentials::user).orElse(null);
                passFromUrl = c.map(HttpAuth.Credentials::password).orElse(null);
                url = URI.create(url.toString().replace(url.getRawUserInfo() + "@", ""));
            }
        } else if (old != null) {
            url = old.url();
        } else {
            throw new InvalidField("url", "url is required");
        }
        boolean rtsp = "rtsp".equalsIgnoreCase(url.getScheme());
        String kindText = str(fields, "kind").orElse(old != null && rawUrl.isEmpty() ? old.kind().name().toLowerCase(Locale.ROOT)
                : rtsp ? "rtsp" : "mjpeg");
        Kind kind = switch (kindText) {
            case "mjpeg" -> Kind.MJPEG;
            case "snapshot" -> Kind.SNAPSHOT;
            case "rtsp" -> Kind.RTSP;
            default -> throw new InvalidField("kind", "kind must be mjpeg, snapshot or rtsp (was '" + kindText + "')");
        };
        if (rtsp != (kind == Kind.RTSP)) {
            throw new InvalidField("kind", "an rtsp:// url needs kind rtsp, and kind rtsp an rtsp:// url (was " + url.getScheme()
                    + ":// as " + kindText + ")");
        }
        double fps = num(fields, "fps").orElse(old != null ? old.fps() : DEFAULT_FPS);
        if (!(fps > 0 && fps <= 60)) {
            throw new InvalidField("fps", "fps must be in (0, 60] (was " + fps + ")");
        }
        String transport = str(fields, "transport").orElse(old != null && old.udp() ? "udp" : "tcp");
        if (!transport.equals("tcp") && !transport.equals("udp")) {
            throw new InvalidField("transport", "transport must be tcp or udp (was '" + transport + "')");
        }
        Duration interval = str(fields, "interval").map(CameraSpec::duration).orElse(old != null ? old.interval() : DEFAULT_INTERVAL);
        if (interval.toMillis() < 50) {
            throw new InvalidField("interval", "interval must be at least 50ms (was " + interval.toMillis() + "ms)");
        }
        // Credentials belong to the device they were given for: a url that now points at another
        // scheme, host or port does not take them along unless they are given again.
        boolean sameDevice = old != null && sameOrigin(old.url(), url);
        String user = str(fields, "username").orElse(userFromUrl != null ? userFromUrl : sameDevice ? old.username() : null);
        String pass = str(fields, "password").orElse(passFromUrl != null ? passFromUrl : sameDevice ? old.password() : null);
        String insecureText = str(fields, "insecure").orElse(old != null && old.insecure() ? "true" : "false");
        if (!insecureText.equals("true") && !insecureText.equals("false")) {
            throw new InvalidField("insecure", "insecure must be true or false (was '" + insecureText + "')");
        }
        String authText = str(fields, "auth").orElse(old != null && sameDevice ? old.auth().name().toLowerCase(Locale.ROOT) : "auto");
        Auth auth = switch (authText) {
            case "auto" -> Auth.AUTO;
            case "basic" -> Auth.BASIC;
            default -> throw new InvalidField("auth", "auth must be auto or basic (was '" + authText + "')");
        };
        return new CameraSpec(id, url, kind, fps, transport.equals("udp"), interval, user, pass, insecureText.equals("true"), auth);
    }

    /** Same scheme, host and port (the scheme's default port when none is written). */
    static boolean sameOrigin(URI a, URI b) {
        return scheme(a).equals(scheme(b)) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static String scheme(URI u) {
        return u.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : switch (scheme(u)) {
            case "https" -> 443;
            case "rtsp" -> 554;
            default -> 80;
        };
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

    /** Where its frames come from, credentials joined into the URL; {@code ffmpeg} reads RTSP. */
    public CameraRegistry.Source source(String ffmpeg) {
        return new CameraRegistry.Source(connectUrl(), kind, interval, new RtspSource.Options(ffmpeg, udp, fps, MAX_WIDTH), insecure,
                auth == Auth.BASIC);
    }

    @Override
    public String toString() {
        return "CameraSpec[" + id + ", " + Camera.masked(url) + ", " + kind + (username == null ? "" : ", user " + username + ", ***") + "]";
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s)");

    private static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches()) {
            throw new InvalidField("interval", "interval must be a duration like 500ms or 2s (was '" + v + "')");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    private static Optional<String> str(Map<String, ?> f, String k) {
        Object v = f.get(k);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    private static Optional<Double> num(Map<String, ?> f, String k) {
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
            throw new InvalidField(k, k + " must be a number (was '" + v + "')");
        }
    }
}
