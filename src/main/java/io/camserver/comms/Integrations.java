package io.camserver.comms;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.metrics.Metrics;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The connections to what users already run (MQTT, webhooks): started together, reported together. */
public final class Integrations implements Dispatcher.Subscriber, AutoCloseable {
    private final MqttBridge mqtt;
    private final Webhooks webhooks;

    private Integrations(MqttBridge mqtt, Webhooks webhooks) {
        this.mqtt = mqtt;
        this.webhooks = webhooks;
    }

    /** Nothing configured: nothing runs. */
    public static Integrations none() {
        return new Integrations(null, null);
    }

    public static Integrations start(Optional<MqttConfig> mqtt, List<WebhookConfig> webhooks, Metrics metrics,
                                     Supplier<List<String>> cameras, Supplier<List<PersonRef>> people,
                                     java.util.function.Function<String, String> cameraName, java.nio.file.Path journals) {
        MqttBridge bridge = mqtt.map(m -> new MqttBridge(m, cameras, people, cameraName)).orElse(null);
        Webhooks hooks = webhooks.isEmpty() ? null : new Webhooks(webhooks, cameraName, journals.resolve("webhooks"));
        if (bridge != null) {
            metrics.gauge("camserver.mqtt.connected", "1 while connected to the MQTT broker", () -> bridge.status().connected() ? 1 : 0);
            metrics.gauge("camserver.mqtt.sent", "MQTT messages published", () -> bridge.status().sent());
            metrics.gauge("camserver.mqtt.dropped", "MQTT messages dropped (broker away or queue full)", () -> bridge.status().dropped());
        }
        if (hooks != null) {
            metrics.gauge("camserver.webhooks.sent", "webhook deliveries that succeeded",
                    () -> hooks.status().stream().mapToLong(Webhooks.Status::sent).sum());
            metrics.gauge("camserver.webhooks.waiting", "webhook deliveries waiting in the journal (receiver down or slow)",
                    () -> hooks.status().stream().mapToLong(Webhooks.Status::waiting).sum());
            metrics.gauge("camserver.webhooks.dropped", "webhook events given up after maxAge or a full journal",
                    () -> hooks.status().stream().mapToLong(Webhooks.Status::dropped).sum());
        }
        return new Integrations(bridge, hooks);
    }

    /** The user rejected a sighting ("not X"): what the broker retains of it goes. */
    public void retract(String eventId) {
        if (mqtt != null) {
            mqtt.retract(eventId);
        }
    }

    /** Hands a live event to MQTT and each webhook that is configured; never waits. */
    @Override
    public void accept(LiveEvent event) {
        if (mqtt != null) {
            mqtt.accept(event);
        }
        if (webhooks != null) {
            webhooks.accept(event);
        }
    }

    /**
     * Where names, sightings and snapshots are sent: the broker and each webhook (shown without
     * credentials). Empty when nothing leaves the device.
     */
    public List<String> destinations() {
        List<String> out = new java.util.ArrayList<>();
        if (mqtt != null) {
            out.add("MQTT " + mqtt.status().broker());
        }
        if (webhooks != null) {
            webhooks.status().forEach(w -> out.add("webhook " + w.url()));
        }
        return out;
    }

    /** The state of each integration, for {@code GET /api/integrations} and the UI; {@code mqtt} empty when not configured. */
    public record Status(Optional<MqttStatus> mqtt, List<Webhooks.Status> webhooks) {
    }

    public Status status() {
        return new Status(Optional.ofNullable(mqtt).map(MqttBridge::status), webhooks == null ? List.of() : webhooks.status());
    }

    @Override
    public void close() {
        if (webhooks != null) {
            webhooks.close();
        }
        if (mqtt != null) {
            mqtt.close();
        }
    }
}
