package io.camserver.comms;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One webhook from the admin's config file (never from the API: a URL to which the server posts
 * is a decision for whoever configures the server).
 *
 * @param events which events it receives: {@code face} (every decided face), {@code unknown}
 *               (decided faces of nobody in the gallery), {@code camera-online}, {@code camera-offline}
 * @param secret the HMAC-SHA256 key for {@code X-Camserver-Signature}
 * @param maxAge how long an event is worth delivering: retried until then, kept across restarts
 */
public record WebhookConfig(URI url, Set<String> events, byte[] secret, java.time.Duration maxAge) {
    /** An event about who is at the door is news for minutes, not hours (an automation acting on it late does harm). */
    public static final java.time.Duration DEFAULT_MAX_AGE = java.time.Duration.ofMinutes(10);

    public static final List<String> EVENTS = List.of("face", "unknown", "camera-online", "camera-offline");

    public WebhookConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("webhooks: url must be http:// or https:// with a host (was '" + shown(url) + "')");
        }
        events = Set.copyOf(events.isEmpty() ? EVENTS : events);
        for (String e : events) {
            if (!EVENTS.contains(e)) {
                throw new IllegalArgumentException("webhooks: " + shown(url) + ": event '" + e + "' is not one of " + EVENTS);
            }
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(java.time.Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("webhooks: " + shown(url) + ": maxAge must be between 1s and 1d (was " + maxAge + ")");
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("webhooks: " + shown(url) + ": secret (or secretFile) of at least 16 characters is required");
        }
    }

    /** The URL as logs and the API show it: no user info, no query (either may carry a token). */
    public static String shown(URI u) {
        return (u.getScheme() == null ? "" : u.getScheme() + "://") + (u.getHost() == null ? "" : u.getHost())
                + (u.getPort() < 0 ? "" : ":" + u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    public String shown() {
        return shown(url);
    }
}
