package io.camserver.ingest.http;

import io.camserver.ingest.stream.Urls;

import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.x GET on a plain socket, for camera streams. Not java.net.http: its body stream has
 * no read timeout (a stalled camera would hang the puller forever) and its header limits are not
 * ours to set. Here every read is bounded by {@link IngestLimits#readTimeout()} and the header by
 * {@link IngestLimits#maxHeaderBytes()}. {@code Connection: close} keeps it one request per
 * socket, which is also what single-client camera firmwares expect.
 */
public final class HttpStream implements AutoCloseable {
    private final Socket socket;
    private final HttpHead head;
    private final InputStream body;

    private HttpStream(Socket socket, HttpHead head, InputStream body) {
        this.socket = socket;
        this.head = head;
        this.body = body;
    }

    public static HttpStream open(URI uri, IngestLimits limits) throws IOException {
        return open(uri, limits, java.util.Map.of());
    }

    /**
     * As above, with request headers of the caller's (a peer replica's credential). Credentials in
     * the URL are sent only when the camera asks for them (see {@link HttpAuth}); a second 401
     * means they are wrong.
     */
    public static HttpStream open(URI uri, IngestLimits limits, java.util.Map<String, String> headers) throws IOException {
        return open(uri, limits, headers, false, new HttpAuth());
    }

    /**
     * As above; {@code https://} is checked against the Java runtime's trust store and the host
     * name, unless {@code insecure} (a camera with a self-signed certificate: encrypted, but
     * anyone on the path could pretend to be it). {@code auth} is the camera's: what it remembers
     * of the camera's challenge spares later connections a round trip.
     */
    public static HttpStream open(URI uri, IngestLimits limits, java.util.Map<String, String> headers, boolean insecure, HttpAuth auth)
            throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new StreamException("only http:// and https:// camera URLs are supported (was " + uri.getScheme() + ")");
        }
        if (uri.getHost() == null) {
            throw new StreamException("camera URL has no host: " + Urls.masked(uri));
        }
        java.util.Optional<HttpAuth.Credentials> creds = HttpAuth.Credentials.of(uri);
        if (creds.isEmpty()) {
            return exchange(uri, limits, headers, null, insecure);
        }
        String target = target(uri);
        String key = HttpAuth.key(uri, creds.get());
        HttpStream first = exchange(uri, limits, headers, auth.remembered(key, creds.get(), "GET", target).orElse(null), insecure);
        if (first.head.status() != 401) {
            return first;
        }
        String challenge = first.head.header("www-authenticate").orElse(null);
        first.close();
        java.util.Optional<String> answer = auth.answer(key, challenge, creds.get(), "GET", target,
                "https".equalsIgnoreCase(uri.getScheme()));
        if (answer.isEmpty()) {
            auth.forget(key);
            if (challenge == null) {
                throw new StreamException("wrong credentials (401)");
            }
            // Scheme names only, cleaned and bounded: nothing else of the camera's header is repeated.
            java.util.List<String> offered = HttpAuth.schemes(challenge).stream().limit(3)
                    .map(x -> x.replaceAll("[^A-Za-z0-9-]", "")).map(x -> x.length() > 20 ? x.substring(0, 20) : x).toList();
            throw new StreamException("camera asks for an authentication camserver does not speak (" + String.join(", ", offered)
                    + "); Basic and Digest (MD5, SHA-256) are supported");
        }
        HttpStream second = exchange(uri, limits, headers, answer.get(), insecure);
        if (second.head.status() == 401) {
            second.close();
            auth.forget(key);
            throw new StreamException("wrong credentials (401)");
        }
        return second;
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static HttpStream exchange(URI uri, IngestLimits limits, java.util.Map<String, String> headers, String authorization,
                                       boolean insecure) throws IOException {
        String host = uri.getHost();
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) limits.connectTimeout().toMillis());
            s.setSoTimeout((int) limits.readTimeout().toMillis());
            if (tls) {
                s = Tls.wrap(s, host, port, insecure);
            }
            StringBuilder req = new StringBuilder();
            req.append("GET ").append(target(uri)).append(" HTTP/1.1\r\n");
            req.append("Host: ").append(hostHeader(host, uri.getPort(), tls)).append("\r\n");
            req.append("User-Agent: camserver\r\n");
            req.append("Accept: multipart/x-mixed-replace, image/jpeg, */*\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(HttpHead.ascii(req.toString()));
            out.flush();
            InputStream raw = new BufferedInputStream(s.getInputStream(), 64 << 10);
            HttpHead head = HttpHead.read(raw, limits.maxHeaderBytes());
            InputStream body = raw;
            String te = head.header("transfer-encoding").orElse("").toLowerCase(Locale.ROOT);
            if (te.contains("chunked")) {
                body = new BufferedInputStream(new ChunkedInputStream(raw), 64 << 10);
            } else if (head.header("content-length").isPresent()) {
                body = new LimitedInputStream(raw, parseLength(head.header("content-length").get()));
            }
            return new HttpStream(s, head, new TimeoutNaming(body, limits.readTimeout().toMillis()));
        } catch (IOException | RuntimeException e) {
            s.close();
            if (e instanceof SocketTimeoutException) {
                throw new StreamException("no response within " + limits.readTimeout().toMillis() + " ms");
            }
            throw e;
        }
    }

    private static String hostHeader(String host, int port, boolean tls) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return port < 0 || port == (tls ? 443 : 80) ? h : h + ":" + port;
    }

    private static long parseLength(String v) throws StreamException {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new StreamException("response has a Content-Length that is not a number");
        }
    }

    public HttpHead head() {
        return head;
    }

    public InputStream body() {
        return body;
    }

    /** Closing the socket also wakes a reader blocked in it: how a puller is stopped promptly. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Reads at most a fixed number of bytes. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long left;

        LimitedInputStream(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = super.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Turns a socket read timeout into a stream error that says what happened. */
    private static final class TimeoutNaming extends FilterInputStream {
        private final long timeoutMs;

        TimeoutNaming(InputStream in, long timeoutMs) {
            super(in);
            this.timeoutMs = timeoutMs;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SocketTimeoutException e) {
                throw new StreamException("stalled: no data for " + timeoutMs + " ms");
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new StreamException("stalled: no data for " + timeoutMs + " ms");
            }
        }
    }
}
