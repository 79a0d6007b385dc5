package io.camserver.comms;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MQTT integration's settings, validated at start.
 *
 * @param url             {@code tcp://host:1883} or {@code ssl://host:8883} (the system trust store)
 * @param clientId        the client id at the broker, and the node id of every Home Assistant entity
 * @param topicPrefix     root of camserver's own topics ({@code camserver/status}, ...)
 * @param discoveryPrefix Home Assistant's discovery prefix
 * @param presenceTimeout a person is {@code home} while seen within this long
 * @param publicUrl       where people open the UI (the devices' configuration_url)
 * @param retainSnapshots keep each camera's last snapshot (a whole frame with a named face) retained at the broker
 * @param instance        this server among several on one broker (a replica's name): the connection's client id is
 *                        {@code clientId-instance}, so two replicas never take each other's connection
 * @param keepFor         how long the broker keeps a camera's last person and snapshot: as long as the history keeps the sighting (events.maxAge)
 */
public record MqttConfig(URI url, Optional<String> username, Optional<String> password, String clientId, String topicPrefix,
                         String discoveryPrefix, Duration presenceTimeout, String publicUrl, boolean retainSnapshots, String instance,
                         Duration keepFor) {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    public MqttConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw new IllegalArgumentException("mqtt.url must be tcp://host:port or ssl://host:port (was '" + url + "')");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("mqtt.url has no host (was '" + url + "')");
        }
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("mqtt.clientId must be 1-64 of A-Z a-z 0-9 _ - (was '" + clientId + "')");
        }
        if (!PREFIX.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("mqtt.topicPrefix must be topic levels of A-Z a-z 0-9 _ - (was '" + topicPrefix + "')");
        }
        if (!PREFIX.matcher(discoveryPrefix).matches()) {
            throw new IllegalArgumentException("mqtt.discoveryPrefix must be topic levels of A-Z a-z 0-9 _ - (was '" + discoveryPrefix + "')");
        }
        if (presenceTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("mqtt.presenceTimeout must be at least 1s (was " + presenceTimeout.toMillis() + "ms)");
        }
        if (username.isEmpty() && password.isPresent()) {
            throw new IllegalArgumentException("mqtt.password is set but mqtt.username is not");
        }
    }

    /** The client id of this server's connection: the node id, and the instance (at most 64 characters, as brokers allow). */
    String connectionId() {
        String id = clientId + "-" + instance.replaceAll("[^A-Za-z0-9_-]", "-");
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    /** The broker as shown in logs and the API: scheme, host and port, never credentials. */
    public String broker() {
        return url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() < 0 ? (url.getScheme().equals("ssl") ? 8883 : 1883) : url.getPort());
    }

    String topic(String... levels) {
        return topicPrefix + "/" + String.join("/", levels);
    }
}
