package io.camserver.comms;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;

/** What Paho's failures mean, in words, and closing a client whatever state it is in. */
final class MqttFailures {
    private MqttFailures() {
    }

    static void closeQuietly(MqttClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, false);
            }
            c.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }

    /** A failure in words: what an operator can act on, without the library's stack of causes. */
    static String describe(MqttException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (cause instanceof SSLException s) {
            return "TLS failed (" + s.getMessage() + ")";
        }
        return switch (e.getReasonCode()) {
            case 4, 134 -> "bad user name or password";
            case 5, 135 -> "not authorized";
            case 32109, 32000 -> "the broker closed the connection";
            case 32104 -> "not connected";
            default -> e.getMessage() == null ? "error " + e.getReasonCode() : e.getMessage() + " (" + e.getReasonCode() + ")";
        };
    }
}
