package io.camserver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small IP camera that wants credentials, as many do: {@code /stream} (MJPEG) and
 * {@code /snapshot.jpg} behind HTTP Basic or Digest (RFC 7616: the algorithms it offers, qop=auth,
 * its own nonces). Its check of a Digest answer is written here from the RFC, independently of
 * the server's code. It records what each request carried, so a test can see which scheme and
 * algorithm were used and that no password was sent before it was asked for.
 */
public final class AuthCamera implements AutoCloseable {
    public enum Scheme { BASIC, DIGEST }

    private final ServerSocket server;
    private final Scheme scheme;
    private final List<String> algorithms;
    private final String user;
    private final String password;
    private final List<byte[]> frames;
    private final String nonce = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
    /** The Authorization header of each request, "" when it had none. */
    public final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final boolean tls;

    /** @param algorithms for Digest, offered in this order (e.g. SHA-256 then MD5) */
    public AuthCamera(Scheme scheme, List<String> algorithms, String user, String password, List<byte[]> frames) throws IOException {
        this(scheme, algorithms, user, password, frames, null);
    }

    /** As above, serving https with {@code tls}'s certificate when it is not null. */
    public AuthCamera(Scheme scheme, List<String> algorithms, String user, String password, List<byte[]> frames, javax.net.ssl.SSLContext tls)
            throws IOException {
        this.tls = tls != null;
        this.scheme = scheme;
        this.algorithms = algorithms;
        this.user = user;
        this.password = password;
        this.frames = frames;
        this.server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::accept);
    }

    public String url(String path, String credentials) {
        return (tls ? "https" : "http") + "://" + (credentials == null ? "" : credentials + "@") + "127.0.0.1:" + server.getLocalPort() + path;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            if (request == null) {
                return;
            }
            String target = request.split(" ")[1];
            Map<String, String> headers = new HashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int c = line.indexOf(':');
                headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
            String auth = headers.getOrDefault("authorization", "");
            seen.add(auth);
            OutputStream out = s.getOutputStream();
            if (!authorised(auth, target)) {
                StringBuilder r = new StringBuilder("HTTP/1.1 401 Unauthorized\r\n");
                if (scheme == Scheme.BASIC) {
                    r.append("WWW-Authenticate: Basic realm=\"cam\"\r\n");
                } else {
                    for (String alg : algorithms) {
                        r.append("WWW-Authenticate: Digest realm=\"IP Camera\", qop=\"auth\", algorithm=").append(alg).append(", nonce=\"")
                                .append(nonce).append("\", opaque=\"op4que\"\r\n");
                    }
                }
                r.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
                out.write(r.toString().getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (target.startsWith("/snapshot.jpg")) {
                byte[] f = frames.get(0);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(f);
                return;
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; !closed; i++) {
                byte[] f = frames.get(i % frames.size());
                out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(f);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // client went away
        }
    }

    private boolean authorised(String auth, String target) {
        if (scheme == Scheme.BASIC) {
            return auth.equals("Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (!auth.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(auth.substring(7));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String alg = p.getOrDefault("algorithm", "MD5");
        if (!algorithms.contains(alg) || !nonce.equals(p.get("nonce")) || !"op4que".equals(p.get("opaque")) || !target.equals(p.get("uri"))
                || !user.equals(p.get("username")) || !"auth".equals(p.get("qop"))) {
            return false;
        }
        String h = alg.startsWith("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hash(h, user + ":IP Camera:" + password);
        String ha2 = hash(h, "GET:" + target);
        String expected = hash(h, ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return expected.equals(p.get("response"));
    }

    private static String hash(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
