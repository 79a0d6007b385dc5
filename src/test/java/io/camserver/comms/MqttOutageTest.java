package io.camserver.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camserver.sim.SimulatedCamera;
import io.camserver.support.ApiClient;
import io.camserver.support.Fixtures;
import io.camserver.support.LiveFixture;
import io.camserver.support.Mosquitto;
import io.camserver.support.MqttRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker away, and what stays at the broker: a face decided before the broker came up is
 * published once it is, in order; the last snapshot (a frame with a named face) is kept at the
 * broker only when asked, and then goes with the person it names.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class MqttOutageTest {
    private static final Duration SOON = Duration.ofSeconds(30);

    private static String enrollAmy(ApiClient api) throws Exception {
        String amy = api.postJson("/api/people", "{\"name\":\"Amy\"}").json().get("id").asText();
        assertEquals(201, api.upload("/api/people/" + amy + "/samples", "amy.png", Files.readAllBytes(Fixtures.person("amy", 1))).status());
        return amy;
    }

    @Test
    void aFaceDecidedBeforeTheBrokerCameUpIsPublishedWhenItDoes(@TempDir Path tmp) throws Exception {
        Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), null, null);
        try (LiveFixture live = LiveFixture.start(tmp, Map.of("mqtt.url", broker.url()))) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            enrollAmy(api);
            BlockingQueue<JsonNode> events = live.events();
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
            JsonNode decided = null;
            long deadline = System.nanoTime() + SOON.toNanos();
            while (decided == null && System.nanoTime() < deadline) {
                JsonNode e = events.poll(1, TimeUnit.SECONDS);
                decided = e != null && "face".equals(e.path("type").asText()) && "Amy".equals(e.path("person").asText()) ? e : null;
            }
            assertTrue(decided != null, "Amy decided while the broker is still down");
            cam.close(); // nothing new from now on: what reaches the broker was decided before it came up
            assertFalse(api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());

            broker.start();
            try (broker; MqttRecorder ha = new MqttRecorder(broker.url(), null, null)) {
                String event = decided.path("event").asText();
                MqttRecorder.Received late = ha.await(Duration.ofSeconds(45), "the face decided during the outage",
                        r -> r.topic().endsWith("/face") && r.text().contains("\"event\":\"" + event + "\""));
                assertEquals(decided.path("at").asText(), LiveFixture.JSON.readTree(late.payload()).path("at").asText(),
                        "published with the time it was decided");
            }
        }
    }

    @Test
    void retainedSnapshotsAreOptInAndGoWithTheirPerson(@TempDir Path tmp) throws Exception {
        try (Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), null, null).start();
             LiveFixture live = LiveFixture.start(tmp, Map.of("mqtt.url", broker.url(), "mqtt.retainSnapshots", "true"));
             MqttRecorder watching = new MqttRecorder(broker.url(), null, null)) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            LiveFixture.eventually(SOON, "connected", () -> api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());
            String amy = enrollAmy(api);
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            watching.await(SOON, "Amy's snapshot", r -> r.topic().equals("camserver/" + id + "/snapshot") && r.payload().length > 1000);
            cam.close();
            try (MqttRecorder late = new MqttRecorder(broker.url(), null, null)) {
                assertTrue(late.await(SOON, "the retained snapshot", r -> r.topic().equals("camserver/" + id + "/snapshot")).retained());
            }
            assertEquals(204, api.delete("/api/people/" + amy).status());
            watching.await(SOON, "the snapshot cleared with Amy", r -> r.topic().equals("camserver/" + id + "/snapshot") && r.payload().length == 0);
            watching.await(SOON, "the camera's last person cleared", r -> r.topic().equals("camserver/" + id + "/person") && r.payload().length == 0);
        }
    }

    @Test
    void aRejectedOrExpiredSightingLeavesNoPictureAtTheBroker(@TempDir Path tmp) throws Exception {
        try (Mosquitto broker = Mosquitto.configure(tmp.resolve("broker"), Mosquitto.freePort(), null, null).start();
             LiveFixture live = LiveFixture.start(tmp, Map.of("mqtt.url", broker.url(), "mqtt.retainSnapshots", "true", "events.maxAge", "20s"));
             MqttRecorder watching = new MqttRecorder(broker.url(), null, null)) {
            ApiClient api = new ApiClient(live.base(), LiveFixture.BASIC);
            LiveFixture.eventually(SOON, "connected", () -> api.get("/api/integrations").json().path("mqtt").path("connected").asBoolean());
            enrollAmy(api);
            BlockingQueue<JsonNode> events = live.events();
            SimulatedCamera cam = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            watching.await(SOON, "Amy's snapshot", r -> r.topic().equals("camserver/" + id + "/snapshot") && r.payload().length > 1000);
            String event = null;
            while (event == null) {
                JsonNode e = events.poll(30, TimeUnit.SECONDS);
                assertTrue(e != null, "a face event");
                event = "face".equals(e.path("type").asText()) && id.equals(e.path("camera").asText()) ? e.path("event").asText() : null;
            }
            cam.close();
            // "Not Amy": the frame that named her is no longer kept at the broker.
            assertEquals(200, api.postJson("/api/events/" + event + "/reject", "{}").status());
            watching.await(SOON, "the rejected sighting's snapshot cleared", r -> r.topic().equals("camserver/" + id + "/snapshot")
                    && r.payload().length == 0);

            // Another sighting: gone from the broker when the history lets it go (events.maxAge 20 s).
            SimulatedCamera second = live.camera(LiveFixture.frames("amy", 2, 3), 10, Duration.ofSeconds(15));
            String id2 = LiveFixture.idOf(second);
            watching.await(SOON, "the second snapshot", r -> r.topic().equals("camserver/" + id2 + "/snapshot") && r.payload().length > 1000);
            second.close();
            watching.await(Duration.ofSeconds(60), "the snapshot cleared after events.maxAge",
                    r -> r.topic().equals("camserver/" + id2 + "/snapshot") && r.payload().length == 0);
        }
    }
}
