package io.camserver.ingest.http;

import io.camserver.ingest.stream.StreamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed status line (or part header section) with case-insensitive header lookup. */
public record HttpHead(int status, String reason, Map<String, String> headers) {

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Reads header lines up to the blank line. Accepts CRLF or bare LF (some camera firmwares);
     * the whole section is bounded so a peer cannot make us buffer without end.
     */
    public static Map<String, String> readHeaders(InputStream in, int maxBytes, String what) throws IOException {
        return readHeaders(in, maxBytes, what, null);
    }

    /** As above, with a first header line that the caller already read. */
    public static Map<String, String> readHeaders(InputStream in, int maxBytes, String what, String firstLine) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int[] budget = {maxBytes};
        String pending = firstLine;
        while (true) {
            String line = pending != null ? pending : readLine(in, budget, what);
            pending = null;
            if (line == null) {
                throw new StreamException("connection closed inside the " + what);
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // tolerate junk lines rather than drop a working camera
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
    }

    /** One line without its terminator, or null at end of stream before any byte. */
    public static String readLine(InputStream in, int[] budget, String what) throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return any ? sb.toString() : null;
            }
            any = true;
            if (--budget[0] < 0) {
                throw new StreamException(what + " is longer than the limit");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    public static HttpHead read(InputStream in, int maxBytes) throws IOException {
        int[] budget = {maxBytes};
        String status = readLine(in, budget, "response header");
        if (status == null) {
            throw new StreamException("connection closed before any response");
        }
        // "HTTP/1.1 200 OK"; ESPHome answers HTTP/1.0
        if (!status.startsWith("HTTP/1.")) {
            throw new StreamException("not an HTTP response (" + status.length() + " bytes that do not start with HTTP/1.x)");
        }
        String[] parts = status.split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(parts.length > 1 ? parts[1].trim() : "");
        } catch (NumberFormatException e) {
            throw new StreamException("not an HTTP response (the status line has no status code)");
        }
        Map<String, String> headers = readHeaders(in, budget[0], "response header");
        return new HttpHead(code, parts.length > 2 ? parts[2] : "", headers);
    }

    /**
     * A refusal in our own words: the status code and what it usually means. The peer's reason
     * phrase, headers and body are never repeated: they would turn {@code lastError} into an
     * echo of whatever a probed port sends.
     */
    public static String answered(String who, int status) {
        String meaning = switch (status) {
            case 401, 403 -> "wrong or expired token or credentials";
            case 404 -> "no such path on the camera";
            case 405 -> "method not allowed";
            case 429, 503 -> "camera busy (another client may be streaming)";
            default -> status >= 500 ? "camera error" : status >= 300 && status < 400 ? "redirect, not followed" : "not a stream";
        };
        return who + " answered HTTP " + status + " (" + meaning + ")";
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
