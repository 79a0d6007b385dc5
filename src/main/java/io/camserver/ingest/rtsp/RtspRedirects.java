package io.camserver.ingest.rtsp;

import io.camserver.ingest.stream.StreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * FFmpeg follows an RTSP redirect (3xx with a Location) to wherever it points and answers the new
 * host's challenge with the credentials of the URL it was given. So before an FFmpeg child is
 * started for a camera with credentials, the camera is asked once, without them, for what FFmpeg
 * will ask ({@code DESCRIBE}); a redirect to another host or port is refused in words and FFmpeg is
 * not started. A redirect on the same host and port is the camera's own business. Whatever else
 * happens here (no answer, a refused connection, a 401) is left for FFmpeg to meet and report.
 */
final class RtspRedirects {
    private static final int MAX_HEAD = 8192;

    private RtspRedirects() {
    }

    /** @throws StreamException when the camera redirects to another host or port */
    static void refuseForeign(URI url, Duration timeout) throws StreamException {
        int port = url.getPort() > 0 ? url.getPort() : 554;
        String target = withoutUserInfo(url);
        String head;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("DESCRIBE " + target + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\nUser-Agent: camserver\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            head = readHead(s.getInputStream());
        } catch (IOException e) {
            return; // FFmpeg meets the same and says so
        }
        String[] lines = head.split("\r?\n");
        String[] status = lines.length == 0 ? new String[0] : lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("RTSP/") || !status[1].matches("3\\d\\d")) {
            return;
        }
        String location = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("location")) {
                location = line.substring(colon + 1).trim();
            }
        }
        URI to;
        try {
            to = location == null ? null : url.resolve(location);
        } catch (IllegalArgumentException e) {
            to = null;
        }
        if (to == null || to.getHost() == null) {
            throw new StreamException("camera answered RTSP " + status[1] + " without a usable Location; not followed");
        }
        int toPort = to.getPort() > 0 ? to.getPort() : 554;
        if (!to.getHost().equalsIgnoreCase(url.getHost()) || toPort != port) {
            throw new StreamException("camera redirects to " + to.getHost() + ":" + toPort + " (RTSP " + status[1]
                    + "); a redirect to another host is not followed, since it would take the camera's credentials along; "
                    + "use that address in the camera's url if you trust it");
        }
    }

    private static String withoutUserInfo(URI url) {
        String s = url.toString();
        return url.getRawUserInfo() == null ? s : s.replace(url.getRawUserInfo() + "@", "");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while (sb.length() < MAX_HEAD && (c = in.read()) >= 0) {
            sb.append((char) c);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 1) == '\n' && (sb.charAt(n - 2) == '\n' || sb.charAt(n - 3) == '\n')) {
                break;
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT).startsWith("rtsp/") ? sb.toString() : "";
    }
}
