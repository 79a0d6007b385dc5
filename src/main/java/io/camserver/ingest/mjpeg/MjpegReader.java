package io.camserver.ingest.mjpeg;

import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;
import io.camserver.ingest.http.HttpHead;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a {@code multipart/x-mixed-replace} body into JPEG frames, tolerant of what real
 * cameras send: boundaries quoted or not, declared with or without the leading {@code --} (or not
 * declared at all: then the first {@code --} line is taken as the delimiter), parts with or
 * without {@code Content-Length} (then the part ends at the next delimiter), bare-LF line ends,
 * and garbage between parts. Everything is bounded: a part over {@code maxPartBytes}, a header
 * over {@code maxHeaderBytes} or more than {@code maxGarbageBytes} without a delimiter is an
 * error that names what was seen, after which the caller reconnects.
 */
public final class MjpegReader {
    private final InputStream in;
    private final IngestLimits limits;
    private byte[] delimiter; // "--" + boundary, or null until seen
    private final String declared;
    /** Parts read so far, of any type: numbers the parts in error messages. */
    private long parts;
    /** Whether any non-blank line was read yet. */
    private boolean started;
    /**
     * Set when the stream opens directly with a part's headers and no delimiter: the
     * yoursunny/esp32cam library (the demo firmware's) writes its first delimiter only after the
     * first frame.
     */
    private String firstHeaderLine;
    private static final java.util.regex.Pattern HEADER_LINE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9-]*:.*");

    /** @param boundary the Content-Type's boundary parameter, if any */
    public MjpegReader(InputStream in, Optional<String> boundary, IngestLimits limits) {
        this.in = in;
        this.limits = limits;
        this.declared = boundary.orElse(null);
        if (declared != null) {
            this.delimiter = ("--" + stripDashes(declared)).getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** The boundary parameter of a Content-Type, unquoted; empty if absent. */
    public static Optional<String> boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? Optional.empty() : Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Cameras disagree on whether the parameter includes the delimiter's leading "--"; matching
     * on the boundary with any leading dashes removed, and then allowing any number of dashes
     * before it on the wire, accepts both conventions.
     */
    private static String stripDashes(String b) {
        int i = 0;
        while (i < b.length() && b.charAt(i) == '-') {
            i++;
        }
        return b.substring(i);
    }

    /**
     * The next JPEG part, or empty at a clean end of stream. Parts of other types (some cameras
     * interleave text parts) are skipped in a loop, never by recursion: a camera that sends
     * thousands of them in a row must not be able to overflow the stack.
     */
    public Optional<byte[]> next() throws IOException {
        while (true) {
            Optional<Part> part = nextPart();
            if (part.isEmpty()) {
                return Optional.empty();
            }
            String type = part.get().type();
            if (type.startsWith("image/jpeg") || type.startsWith("image/jpg")) {
                return Optional.of(part.get().data());
            }
        }
    }

    private record Part(String type, byte[] data) {
    }

    private Optional<Part> nextPart() throws IOException {
        AfterDelimiter pending = afterDelimiter;
        afterDelimiter = AfterDelimiter.NONE;
        if (pending == AfterDelimiter.CLOSED || (pending == AfterDelimiter.NONE && !seekDelimiter())) {
            return Optional.empty();
        }
        String first = firstHeaderLine;
        firstHeaderLine = null;
        if (first == null) {
            // The firmware writes a delimiter after every frame, so a camera that stops leaves
            // the stream ending right after one: a clean end, not a truncated part.
            first = HttpHead.readLine(in, new int[] {limits.maxHeaderBytes()}, "part header");
            if (first == null) {
                return Optional.empty();
            }
        }
        Map<String, String> headers = HttpHead.readHeaders(in, limits.maxHeaderBytes(), "part header", first);
        String type = headers.getOrDefault("content-type", "image/jpeg").toLowerCase(Locale.ROOT);
        byte[] data;
        String length = headers.get("content-length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new StreamException("part " + (parts + 1) + " has a Content-Length that is not a number");
            }
            if (n < 0 || n > limits.maxPartBytes()) {
                throw new StreamException("part " + (parts + 1) + " declares Content-Length " + n + ", over the limit of "
                        + limits.maxPartBytes() + " bytes");
            }
            data = in.readNBytes((int) n);
            if (data.length < n) {
                throw new StreamException("stream ended inside part " + (parts + 1) + " (" + data.length + " of " + n + " bytes)");
            }
        } else if (delimiter == null) {
            throw new StreamException("part " + (parts + 1) + " has no Content-Length and the stream declares no boundary");
        } else {
            data = readUntilDelimiter();
        }
        parts++;
        return Optional.of(new Part(type, data));
    }

    /**
     * Skips to just after the next delimiter line. Returns false at end of stream. If no boundary
     * was declared, the first line starting with "--" becomes the delimiter.
     */
    private boolean seekDelimiter() throws IOException {
        int skipped = 0;
        int[] budget = {limits.maxGarbageBytes() + limits.maxHeaderBytes()};
        while (true) {
            String line = HttpHead.readLine(in, budget, "data between parts (no boundary found)");
            if (line == null) {
                return false;
            }
            String t = line.trim();
            if (!started && !t.isEmpty()) {
                started = true;
                if (HEADER_LINE.matcher(t).matches()) {
                    firstHeaderLine = t;
                    return true;
                }
            }
            if (delimiter == null && t.startsWith("--") && t.length() > 2) {
                String b = t.endsWith("--") ? t.substring(0, t.length() - 2) : t;
                delimiter = ("--" + stripDashes(b)).getBytes(StandardCharsets.ISO_8859_1);
            }
            if (delimiter != null && isDelimiterLine(t)) {
                return !t.endsWith(coreBoundary() + "--"); // a close delimiter ends the stream
            }
            skipped += line.length() + 1;
            if (skipped > limits.maxGarbageBytes()) {
                throw new StreamException(declared == null && delimiter == null
                        ? "no multipart boundary declared and none found in the first " + skipped + " bytes"
                        : "multipart boundary not found in " + skipped + " bytes");
            }
        }
    }

    private boolean isDelimiterLine(String t) {
        if (!t.startsWith("--")) {
            return false;
        }
        String core = coreBoundary();
        String rest = stripDashes(t);
        return rest.equals(core) || rest.equals(core + "--");
    }

    /**
     * Reads a part of unknown length: everything up to the line break before the next delimiter
     * line. Only lines that start with "--" are compared, so binary JPEG data (where 0x0A is just
     * a byte) costs one check per line break. The delimiter line is consumed here; the next call
     * to {@link #next()} starts at the part headers.
     */
    private byte[] readUntilDelimiter() throws IOException {
        int max = limits.maxPartBytes();
        byte[] buf = new byte[64 << 10];
        int len = 0;
        int lineStart = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                String last = new String(buf, lineStart, len - lineStart, StandardCharsets.ISO_8859_1).trim();
                if (isDelimiterLine(last)) {
                    afterDelimiter = last.endsWith("--") ? AfterDelimiter.CLOSED : AfterDelimiter.PART;
                    return dataBefore(buf, lineStart);
                }
                throw new StreamException("stream ended inside part " + (parts + 1) + " (no Content-Length, no closing boundary)");
            }
            if (len == buf.length) {
                if (lineStart > max) {
                    throw new StreamException("part " + (parts + 1) + " has no Content-Length and no boundary within " + max + " bytes");
                }
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, max + limits.maxHeaderBytes() + 2));
                if (len == buf.length) {
                    throw new StreamException("part " + (parts + 1) + " has no Content-Length and no boundary within " + max + " bytes");
                }
            }
            buf[len++] = (byte) c;
            if (c == '\n') {
                int lineLen = len - 1 - lineStart;
                if (lineLen >= 2 && buf[lineStart] == '-' && buf[lineStart + 1] == '-') {
                    String t = new String(buf, lineStart, lineLen, StandardCharsets.ISO_8859_1).trim();
                    if (isDelimiterLine(t)) {
                        afterDelimiter = t.endsWith(coreBoundary() + "--") ? AfterDelimiter.CLOSED : AfterDelimiter.PART;
                        return dataBefore(buf, lineStart);
                    }
                }
                lineStart = len;
            }
        }
    }

    /** The part's bytes: up to the line break (LF or CRLF) that precedes the delimiter line. */
    private static byte[] dataBefore(byte[] buf, int lineStart) {
        int end = lineStart;
        if (end > 0 && buf[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && buf[end - 1] == '\r') {
            end--;
        }
        return Arrays.copyOf(buf, end);
    }

    private String coreBoundary() {
        return new String(delimiter, 2, delimiter.length - 2, StandardCharsets.ISO_8859_1);
    }

    /** Where the stream stands after a length-less part consumed the delimiter line. */
    private enum AfterDelimiter { NONE, PART, CLOSED }

    private AfterDelimiter afterDelimiter = AfterDelimiter.NONE;
}
