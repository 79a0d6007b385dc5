package io.camserver.sim;

import java.nio.charset.StandardCharsets;

/**
 * The demo firmware's bytes on the wire (shared/PROTOCOL.md; the MJPEG framing is that of the
 * yoursunny/esp32cam library). Shared by the simulator and by the tests that check the server
 * accepts exactly these bytes.
 */
public final class Firmware {
    /** The boundary yoursunny/esp32cam uses. */
    public static final String BOUNDARY = "e8b8c539-047d-4777-a985-fbba6edff11e";
    public static final String REGISTRATION_HOST = "microshift-cam-reg.local";

    private Firmware() {
    }

    /** The registration request, byte for byte as the firmware sends it. */
    public static byte[] registrationRequest(String ip, String token) {
        return ("GET /register?ip=" + ip + "&token=" + token + " HTTP/1.1\r\n"
                + "Host: " + REGISTRATION_HOST + "\r\n"
                + "Connection: close\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Response head of {@code /stream}: no delimiter follows it before the first part. */
    public static byte[] streamResponseHead() {
        return ("HTTP/1.1 200 OK\r\n"
                + "Content-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] partHeader(int contentLength) {
        return ("Content-Type: image/jpeg\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Written after every frame: the delimiter comes after the part, not before. */
    public static byte[] partTrailer() {
        return ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
