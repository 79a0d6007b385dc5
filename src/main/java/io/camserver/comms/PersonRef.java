package io.camserver.comms;

/** A known person, as the gallery lists them: what MQTT announces and tracks presence for. */
public record PersonRef(String id, String name) {
}
