package io.camserver.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** A subscriber to everything on a broker, as Home Assistant would be, keeping what it saw. */
public final class MqttRecorder implements AutoCloseable {
    /** One message as received; {@code retained} is set for what the broker kept from before. */
    public record Received(String topic, byte[] payload, boolean retained, long atNanos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final List<Received> seen = new ArrayList<>();

    public MqttRecorder(String url, String user, String password) throws MqttException {
        client = new MqttClient(url, "test-recorder-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        client.connect(o);
        // (Paho 1.2.5's subscribe(String, int, listener) recurses forever: the array form works.)
        client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {new org.eclipse.paho.mqttv5.common.MqttSubscription("#", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, m) -> {
                    synchronized (seen) {
                        seen.add(new Received(topic, m.getPayload(), m.isRetained(), System.nanoTime()));
                        seen.notifyAll();
                    }
                }});
    }

    public void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    /** The first message (seen so far or within {@code max}) that matches; fails the test otherwise. */
    public Received await(Duration max, String what, Predicate<Received> match) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (seen) {
            while (true) {
                Optional<Received> hit = seen.stream().filter(match).findFirst();
                if (hit.isPresent()) {
                    return hit.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<String> topics = seen.stream().map(r -> r.topic() + "=" + (r.payload().length > 80 ? r.payload().length + " bytes"
                            : r.text())).toList();
                    throw new AssertionError("no MQTT message for " + what + " within " + max.toSeconds() + " s; seen: " + topics);
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Messages on a topic so far, oldest first. */
    public List<Received> on(String topic) {
        synchronized (seen) {
            return seen.stream().filter(r -> r.topic().equals(topic)).toList();
        }
    }

    public long mark() {
        return System.nanoTime();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
