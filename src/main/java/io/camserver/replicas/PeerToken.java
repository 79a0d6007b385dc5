package io.camserver.replicas;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How replicas prove themselves to each other: never the shared secret itself, but
 * {@code <unix seconds>:<hex HMAC-SHA256 of "<method> <path?query> <seconds>">} in
 * {@code X-Camserver-Peer}. A token opens one request, for about a minute; one seen on the wire
 * gives no secret away and opens no other path.
 */
public final class PeerToken {
    /** How far a token's time may be from the receiver's clock, in seconds. */
    static final long WINDOW_SECONDS = 60;

    private PeerToken() {
    }

    /** The header value for a request to {@code target} (raw path and query) with {@code method}. */
    public static String sign(byte[] secret, String method, String target, long nowSeconds) {
        return nowSeconds + ":" + mac(secret, method, target, nowSeconds);
    }

    /** Whether {@code header} was made with {@code secret} for this method and target, within the window. */
    public static boolean verify(byte[] secret, String header, String method, String target, long nowSeconds) {
        int colon = header == null ? -1 : header.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        long at;
        try {
            at = Long.parseLong(header.substring(0, colon));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - at) > WINDOW_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, method, target, at).getBytes(StandardCharsets.US_ASCII),
                header.substring(colon + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(byte[] secret, String method, String target, long seconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((method + " " + target + " " + seconds).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }
}
