package io.camserver.app;

import io.camserver.comms.MqttConfig;
import io.camserver.comms.WebhookConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The integrations' settings (mqtt.*, webhooks) read into their typed configurations, each mistake named. */
final class IntegrationSettings {
    private IntegrationSettings() {
    }

    static Optional<MqttConfig> mqtt(Settings s, int port) {
        Optional<String> url = s.optional("mqtt.url");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.get());
        } catch (IllegalArgumentException e) {
            throw new UsageException("mqtt.url is not a URL (was '" + url.get() + "')");
        }
        Optional<String> password = s.optional("mqtt.passwordFile").map(f -> Settings.secretFile("mqtt.passwordFile", f));
        if (password.isEmpty()) {
            password = s.optional("mqtt.password");
        }
        return Optional.of(new MqttConfig(uri, s.optional("mqtt.username"), password, s.string("mqtt.clientId"),
                s.string("mqtt.topicPrefix"), s.string("mqtt.discoveryPrefix"), s.duration("mqtt.presenceTimeout"), publicUrl(s, port),
                s.bool("mqtt.retainSnapshots"), ServerConfig.replicaName(s),
                // what the broker retains of a sighting goes when the history lets the sighting go
                s.duration("events.maxAge")));
    }

    static List<WebhookConfig> webhooks(Settings s) {
        List<WebhookConfig> out = new ArrayList<>();
        for (Map<String, String> w : s.webhooks()) {
            String url = w.get("url");
            if (url == null || url.isBlank()) {
                throw new UsageException("webhooks: url is missing");
            }
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new UsageException("webhooks: url is not a URL");
            }
            String secret = w.containsKey("secretFile") ? Settings.secretFile("webhooks secretFile", w.get("secretFile")) : w.getOrDefault("secret", "");
            java.util.Set<String> events = new java.util.LinkedHashSet<>();
            for (String e : w.getOrDefault("events", "").split(",")) {
                if (!e.isBlank()) {
                    events.add(e.trim());
                }
            }
            java.time.Duration maxAge = w.containsKey("maxAge") ? Settings.parseDuration(w.get("maxAge"))
                    .orElseThrow(() -> new UsageException("webhooks: maxAge must be a duration like 30s, 10m or 1h (was '" + w.get("maxAge") + "')"))
                    : WebhookConfig.DEFAULT_MAX_AGE;
            out.add(new WebhookConfig(uri, events, secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), maxAge));
        }
        return out;
    }

    /** Where people open the UI: server.publicUrl, else this host's name and the port. */
    private static String publicUrl(Settings s, int port) {
        Optional<String> set = s.optional("server.publicUrl");
        if (set.isPresent()) {
            return set.get().replaceAll("/+$", "");
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return "http://" + host + ":" + port;
    }
}
