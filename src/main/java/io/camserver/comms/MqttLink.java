package io.camserver.comms;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT connection's state as the bridge's loop and Paho's callbacks both see it. Paho calls
 * back on its own thread, so the callbacks only set these flags; the loop acts on them.
 */
final class MqttLink implements MqttCallback {
    private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);
    private final MqttConfig cfg;
    volatile boolean connected;
    /** Home Assistant announced itself online: discovery is published again. */
    volatile boolean rediscover;
    volatile String lastError;

    MqttLink(MqttConfig cfg) {
        this.cfg = cfg;
    }

    /** Says "offline" (a clean shutdown; the Last Will is for a crash or a lost network), disconnects and closes. */
    void shutdown(MqttClient c, String statusTopic) {
        if (c != null && connected) {
            try {
                c.publish(statusTopic, "offline".getBytes(StandardCharsets.UTF_8), 1, true);
                c.disconnect(2000);
            } catch (MqttException e) {
                log.debug("mqtt: shutting down: {}", MqttFailures.describe(e));
            }
        }
        connected = false;
        MqttFailures.closeQuietly(c);
    }

    /** How to connect: a clean start, no reconnection of Paho's own (the loop reconnects and republishes), "offline" as the will. */
    MqttConnectionOptions options(String statusTopic) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(30);
        o.setAutomaticReconnect(false);
        cfg.username().ifPresent(o::setUserName);
        cfg.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        o.setWill(statusTopic, new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true, null));
        return o;
    }

@Override
    public void disconnected(MqttDisconnectResponse r) {
        connected = false;
        String why = r.getReasonString() != null ? r.getReasonString()
                : r.getException() != null ? MqttFailures.describe(r.getException()) : "disconnected (" + r.getReturnCode() + ")";
        lastError = why;
        log.warn("mqtt: disconnected from {}: {}", cfg.broker(), why);
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
        lastError = MqttFailures.describe(e);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (topic.equals(cfg.discoveryPrefix() + "/status")
                && "online".equals(new String(message.getPayload(), StandardCharsets.UTF_8).trim())) {
            rediscover = true;
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
