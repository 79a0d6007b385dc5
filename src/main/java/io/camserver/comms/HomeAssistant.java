package io.camserver.comms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery documents (retained under the discovery prefix): one device for
 * the server, one per camera (last person sensor, face event, snapshot camera) and one per known
 * person (a presence device_tracker). Every entity has a stable {@code unique_id} built from the
 * client id and the camera or person id (not the name: renaming keeps the entity), and the
 * server's availability topic. An empty retained document removes the entity.
 */
final class HomeAssistant {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A retained discovery message; an empty payload removes what the topic configured. */
    record Config(String topic, String payload) {
    }

    private final MqttConfig cfg;

    HomeAssistant(MqttConfig cfg) {
        this.cfg = cfg;
    }

    String node() {
        return cfg.clientId();
    }

    String statusTopic() {
        return cfg.topic("status");
    }

    private String configTopic(String component, String objectId) {
        return cfg.discoveryPrefix() + "/" + component + "/" + node() + "/" + objectId + "/config";
    }

    private Map<String, Object> entity(String name, String uniqueSuffix, Map<String, Object> device) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("unique_id", node() + "_" + uniqueSuffix);
        m.put("availability_topic", statusTopic());
        m.put("payload_available", "online");
        m.put("payload_not_available", "offline");
        m.put("device", device);
        m.put("origin", Map.of("name", "camserver"));
        return m;
    }

    private Map<String, Object> serverDevice() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("identifiers", List.of(node()));
        d.put("name", "camserver " + node());
        d.put("manufacturer", "camserver");
        d.put("model", "face recognition server");
        d.put("configuration_url", cfg.publicUrl() + "/");
        return d;
    }

    /** The server itself: a connectivity sensor on the status topic, and the device the others hang from. */
    List<Config> server() {
        Map<String, Object> e = entity("Status", "status", serverDevice());
        e.put("state_topic", statusTopic());
        e.put("payload_on", "online");
        e.put("payload_off", "offline");
        e.put("device_class", "connectivity");
        e.put("entity_category", "diagnostic");
        e.remove("availability_topic"); // the status is its own state: it must show "off", not "unavailable"
        e.remove("payload_available");
        e.remove("payload_not_available");
        return List.of(new Config(configTopic("binary_sensor", "status"), write(e)));
    }

    /** A device hanging from the server's: a camera or a person. */
    private Map<String, Object> childDevice(String identifier, String name, String model, String page) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("identifiers", List.of(identifier));
        d.put("name", name);
        d.put("manufacturer", "camserver");
        d.put("model", model);
        d.put("via_device", node());
        d.put("configuration_url", cfg.publicUrl() + "/#" + page);
        return d;
    }

    private Map<String, Object> cameraDevice(String camera) {
        return childDevice(node() + "_camera_" + camera, camera, "camera", "live");
    }

    /** A camera: who was seen last (with the face message as attributes), the face event, the snapshot. */
    List<Config> camera(String camera) {
        Map<String, Object> device = cameraDevice(camera);
        Map<String, Object> person = entity("Last person", "camera_" + camera + "_person", device);
        person.put("state_topic", cfg.topic(camera, "person"));
        person.put("json_attributes_topic", cfg.topic(camera, "face"));
        person.put("icon", "mdi:face-recognition");
        Map<String, Object> event = entity("Face", "camera_" + camera + "_face", device);
        event.put("state_topic", cfg.topic(camera, "face"));
        event.put("event_types", List.of("known", "unknown"));
        event.put("icon", "mdi:account-eye");
        Map<String, Object> snapshot = entity("Last face", "camera_" + camera + "_snapshot", device);
        snapshot.put("topic", cfg.topic(camera, "snapshot"));
        return List.of(new Config(configTopic("sensor", "camera_" + camera + "_person"), write(person)),
                new Config(configTopic("event", "camera_" + camera + "_face"), write(event)),
                new Config(configTopic("camera", "camera_" + camera + "_snapshot"), write(snapshot)));
    }

    List<Config> removeCamera(String camera) {
        return camera(camera).stream().map(c -> new Config(c.topic(), "")).toList();
    }

    /**
     * A person's presence as a {@code device_tracker}: home while seen within
     * {@code mqtt.presenceTimeout}. A tracker (not a binary_sensor) because Home Assistant's
     * person entity takes trackers: assign it to a person there and "Alice came home" works in
     * every automation and in the map.
     */
    List<Config> person(String personId, String name, String slug) {
        Map<String, Object> device = childDevice(node() + "_person_" + personId, name, "known person", "people");
        Map<String, Object> tracker = entity(null, "person_" + personId, device); // the device's name is the entity's
        tracker.put("state_topic", cfg.topic("people", slug));
        tracker.put("payload_home", "home");
        tracker.put("payload_not_home", "not_home");
        tracker.put("source_type", "router");
        tracker.put("json_attributes_topic", cfg.topic("people", slug, "attributes"));
        tracker.put("icon", "mdi:account");
        return List.of(new Config(configTopic("device_tracker", "person_" + personId), write(tracker)));
    }

    List<Config> removePerson(String personId) {
        return List.of(new Config(configTopic("device_tracker", "person_" + personId), ""));
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a discovery document", e);
        }
    }
}
