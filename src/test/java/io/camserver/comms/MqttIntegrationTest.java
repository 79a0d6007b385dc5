package io.camserver.comms;

import io.camserver.support.ApiClient;
import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.Fixtures;
import io.camserver.support.Mosquitto;
import io.camserver.support.MqttRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT integration against a real Mosquitto: camserver started before its broker connects by
 * itself, announces itself and everything to Home Assistant's discovery, publishes a face message
 * as soon as a track is decided, tracks presence, follows Home Assistant's restarts and the
 * gallery's changes, survives the broker going away, and says goodbye.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class MqttIntegrationTest {
    private static final Duration SOON = Duration.ofSeconds(20);

    private static JsonNode json(MqttRecorder.Received r) throws Exception {
        return LiveFixture.JSON.readTree(r.payload());
    }

    /** The fields Home Assistant's MQTT discovery needs of every camserver entity. */
    private static void assertEntity(JsonNode c, String uniqueId, String deviceId) {
        assertEquals(uniqueId, c.path("unique_id").asText(), c.toString());
        assertEquals("camserver/status", c.path("availability_topic").asText(), c.toString());
        assertEquals("online", c.path("payload_available").asText());
        assertEquals("offline", c.path("payload_not_available").asText());
        assertEquals(deviceId, c.path("device").path("identifiers").get(0).asText(), c.toString());
    }

    @Test
    void startedBeforeTheBrokerItConnectsAnnouncesAndPublishesFacesAndPresence(@TempDir Path tmp) throws Exception {
        Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), null, null);
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("mqtt.url", broker.url(), "mqtt.presenceTimeout", "3s",
                "server.publicUrl", "https://camserver.example"))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            String amy = api.postJson("/api/people", "{\"name\":\"Amy\"}").json().get("id").asText();
            assertEquals(201, api.upload("/api/people/" + amy + "/samples", "amy.png", Files.readAllBytes(Fixtures.person("amy", 1))).status());
            // No broker yet: the server runs, is ready, and says why it is not connected.
            LiveFixture.eventually(SOON, "the failure reported", () -> api.get("/api/integrations").json().path("mqtt").path("lastError")
                    .asText("").equals("connection refused"));
            assertEquals(200, live.anonymous("/readyz").statusCode());
            assertFalse(api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());

            broker.start();
            try (broker; MqttRecorder ha = new MqttRecorder(broker.url(), null, null)) {
                ha.await(Duration.ofSeconds(40), "camserver/status online", r -> r.topic().equals("camserver/status") && r.text().equals("online"));
                MqttRecorder.Received amyTracker = ha.await(SOON, "Amy's presence tracker",
                        r -> r.topic().equals("homeassistant/device_tracker/camserver/person_" + amy + "/config") && r.payload().length > 0);
                JsonNode t = json(amyTracker);
                assertTrue(amyTracker.retained() || ha.on(amyTracker.topic()).size() >= 1);
                assertEntity(t, "camserver_person_" + amy, "camserver_person_" + amy);
                assertEquals("camserver/people/amy", t.path("state_topic").asText());
                assertEquals("home", t.path("payload_home").asText());
                assertEquals("not_home", t.path("payload_not_home").asText());
                assertEquals("camserver/people/amy/attributes", t.path("json_attributes_topic").asText());
                assertEquals("Amy", t.path("device").path("name").asText());
                assertEquals("camserver", t.path("device").path("via_device").asText());
                JsonNode server = json(ha.await(SOON, "the server's device", r -> r.topic().equals("homeassistant/binary_sensor/camserver/status/config")));
                assertEquals("camserver", server.path("device").path("identifiers").get(0).asText());
                assertEquals("camserver/status", server.path("state_topic").asText());
                assertEquals("not_home", ha.await(SOON, "Amy not home yet", r -> r.topic().equals("camserver/people/amy")).text());

                SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
                String id = LiveFixture.idOf(cam);
                MqttRecorder.Received face = ha.await(SOON, "a face message naming Amy",
                        r -> r.topic().equals("camserver/" + id + "/face") && r.text().contains("\"person\":\"Amy\""));
                JsonNode f = json(face);
                assertFalse(face.retained());
                assertEquals(id, f.path("camera").asText());
                assertEquals(id, f.path("cameraName").asText(), "an unnamed camera's cameraName is its id");
                assertEquals(amy, f.path("personId").asText());
                assertEquals("known", f.path("event_type").asText());
                assertEquals("face", f.path("type").asText());
                assertTrue(f.path("similarity").asDouble() >= 0.4, f.toString());
                assertEquals(4, f.path("box").size());
                assertTrue(f.path("trackId").asLong() > 0);
                assertFalse(f.path("at").asText().isEmpty());
                String event = f.path("event").asText();
                LiveFixture.eventually(SOON, "the event's snapshot is in the history",
                        () -> api.get("/api/events/" + event + "/snapshot.jpg").status() == 200);
                assertEquals("Amy", ha.await(SOON, "last person", r -> r.topic().equals("camserver/" + id + "/person")).text());
                byte[] snap = ha.await(SOON, "snapshot", r -> r.topic().equals("camserver/" + id + "/snapshot")).payload();
                assertTrue(snap.length > 1000 && (snap[0] & 0xff) == 0xFF && (snap[1] & 0xff) == 0xD8, "a JPEG snapshot");
                ha.await(SOON, "Amy home", r -> r.topic().equals("camserver/people/amy") && r.text().equals("home"));
                JsonNode attrs = json(ha.await(SOON, "Amy's attributes", r -> r.topic().equals("camserver/people/amy/attributes")
                        && r.text().contains(id)));
                assertEquals(id, attrs.path("camera").asText());

                // The camera's device: last person sensor, face event, snapshot camera.
                JsonNode sensor = json(ha.await(SOON, "camera sensor", r -> r.topic().equals("homeassistant/sensor/camserver/camera_" + id
                        + "_person/config")));
                assertEntity(sensor, "camserver_camera_" + id + "_person", "camserver_camera_" + id);
                assertEquals("camserver/" + id + "/person", sensor.path("state_topic").asText());
                assertEquals("camserver/" + id + "/face", sensor.path("json_attributes_topic").asText());
                assertEquals("camserver", sensor.path("device").path("via_device").asText());
                assertEquals("https://camserver.example/#live", sensor.path("device").path("configuration_url").asText());
                JsonNode ev = json(ha.await(SOON, "camera event", r -> r.topic().equals("homeassistant/event/camserver/camera_" + id
                        + "_face/config")));
                assertEntity(ev, "camserver_camera_" + id + "_face", "camserver_camera_" + id);
                assertEquals("[\"known\",\"unknown\"]", ev.path("event_types").toString());
                JsonNode camera = json(ha.await(SOON, "camera entity", r -> r.topic().equals("homeassistant/camera/camserver/camera_" + id
                        + "_snapshot/config")));
                assertEntity(camera, "camserver_camera_" + id + "_snapshot", "camserver_camera_" + id);
                assertEquals("camserver/" + id + "/snapshot", camera.path("topic").asText());

                // Amy leaves: not home once the presence timeout has passed.
                cam.close();
                long left = ha.mark();
                ha.await(SOON, "Amy not home after she left", r -> r.atNanos() > left && r.topic().equals("camserver/people/amy")
                        && r.text().equals("not_home"));

                // Home Assistant restarts and announces itself: discovery comes again.
                long restart = ha.mark();
                ha.publish("homeassistant/status", "online", false);
                ha.await(SOON, "discovery again after Home Assistant came online", r -> r.atNanos() > restart
                        && r.topic().equals("homeassistant/device_tracker/camserver/person_" + amy + "/config") && r.payload().length > 0);

                // Amy is deleted: her entity is withdrawn with an empty retained config.
                assertEquals(204, api.delete("/api/people/" + amy).status());
                long deleted = ha.mark();
                ha.await(SOON, "Amy's tracker withdrawn", r -> r.atNanos() > deleted
                        && r.topic().equals("homeassistant/device_tracker/camserver/person_" + amy + "/config") && r.payload().length == 0);

                JsonNode privacy = api.get("/api/privacy").json();
                assertTrue(privacy.path("faceDataLeavesDevice").asBoolean(), "the privacy page says where data goes");
                assertEquals("MQTT " + broker.url(), privacy.path("sentTo").get(0).asText());
                JsonNode status = api.get("/api/integrations").json().path("mqtt");
                assertTrue(status.path("connected").asBoolean(), status.toString());
                assertTrue(status.path("sent").asLong() > 10, status.toString());
                long closing = ha.mark();
                live.close();
                ha.await(SOON, "offline on shutdown", r -> r.atNanos() > closing && r.topic().equals("camserver/status")
                        && r.text().equals("offline"));
            }
        }
    }

    @Test
    void aBrokerThatStopsAndReturnsIsReconnectedWhileAnalysisGoesOn(@TempDir Path tmp) throws Exception {
        try (Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), null, null).start();
             LiveFixture live = LiveFixture.start(tmp, Map.of("mqtt.url", broker.url()))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            LiveFixture.eventually(SOON, "connected", () -> api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());
            SimulatedCamera cam = live.camera(LiveFixture.frames("raj", 1, 2), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            LiveFixture.eventually(SOON, "streaming", () -> "streaming".equals(live.camera(id).get("state").asText()));

            broker.stop();
            LiveFixture.eventually(SOON, "the loss noticed", () -> !api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());
            long analysed = live.camera(id).get("framesAnalysed").asLong();
            LiveFixture.eventually(SOON, "analysis goes on without the broker",
                    () -> live.camera(id).get("framesAnalysed").asLong() > analysed + 20);
            assertEquals(200, live.anonymous("/readyz").statusCode(), "a broker never decides readiness");
            assertTrue(api.get("/api/integrations").json().path("mqtt").path("lastError").asText("").length() > 0);

            broker.start();
            LiveFixture.eventually(Duration.ofSeconds(45), "reconnected", () -> api.get("/api/integrations").json().path("mqtt").path("connected")
                    .asBoolean());
            try (MqttRecorder ha = new MqttRecorder(broker.url(), null, null)) {
                ha.await(SOON, "online again, retained", r -> r.topic().equals("camserver/status") && r.text().equals("online") && r.retained());
                ha.await(SOON, "the camera announced again", r -> r.topic().equals("homeassistant/sensor/camserver/camera_" + id + "_person/config"));
                // The camera is removed for good: its entities are withdrawn.
                cam.close();
                assertEquals(204, live.delete("/api/cameras/" + id).statusCode());
                long removed = ha.mark();
                for (String entity : new String[] {"sensor/camserver/camera_" + id + "_person", "event/camserver/camera_" + id + "_face",
                    "camera/camserver/camera_" + id + "_snapshot"}) {
                    ha.await(SOON, entity + " withdrawn", r -> r.atNanos() > removed && r.topic().equals("homeassistant/" + entity + "/config")
                            && r.payload().length == 0);
                }
            }
        }
    }

    @Test
    void wrongCredentialsAreReportedAndTheRightOnesConnect(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("mqtt-password"), "broker-password-1\n");
        try (Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), "camserver", "broker-password-1").start()) {
            try (LiveFixture wrong = LiveFixture.start(tmp.resolve("wrong"), Map.of("mqtt.url", broker.url(), "mqtt.username", "camserver",
                    "mqtt.password", "guessed"))) {
                ApiClient api = new ApiClient(wrong.base(), LiveFixture.BASIC);
                LiveFixture.eventually(SOON, "the refusal reported", () -> {
                    String why = api.get("/api/integrations").json().path("mqtt").path("lastError").asText("");
                    return why.equals("bad user name or password") || why.equals("not authorized");
                });
                assertFalse(api.get("/api/integrations").body().contains("guessed"), "the password is never shown");
            }
            try (LiveFixture right = LiveFixture.start(tmp.resolve("right"), Map.of("mqtt.url", broker.url(), "mqtt.username", "camserver",
                    "mqtt.passwordFile", secret.toString()));
                 MqttRecorder ha = new MqttRecorder(broker.url(), "camserver", "broker-password-1")) {
                ha.await(SOON, "online with the right password", r -> r.topic().equals("camserver/status") && r.text().equals("online"));
                assertTrue(new ApiClient(right.base(), LiveFixture.BASIC).get("/api/integrations").json().path("mqtt").path("connected").asBoolean());
            }
        }
    }
}
