package io.camserver.comms;

/** The MQTT connection as {@code /api/integrations} and the UI show it. */
public record MqttStatus(String broker, boolean connected, String lastError, long sent, long dropped) {
}
