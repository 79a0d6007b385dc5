package io.camserver.sim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Behaves like an ESP32-CAM running the demo firmware, on the wire: serves {@code /stream} (MJPEG
 * at 640x480, one client at a time) and {@code /cam-hi.jpg}, refuses a missing or wrong token
 * with 401, and registers with the firmware's exact request every 15 s while idle and right
 * after a stream ends. How users try camserver without hardware, and how the end-to-end tests
 * drive it.
 */
public final class SimulatedCamera implements AutoCloseable {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;

    private final List<byte[]> frames;
    private final double fps;
    private final String token;
    private final String advertisedIp;
    private final URI register;
    private final Duration reRegisterEvery;
    private final InetAddress bindAddress;
    private final AtomicBoolean streaming = new AtomicBoolean();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong streamRequests = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object wake = new Object();
    private volatile ServerSocket server;
    private volatile boolean running;
    private volatile String lastRegistrationReply = "";
    private int port;
    private Thread registrar;

    /**
     * @param port            0 for any free port
     * @param register        the server to register with (the firmware resolves it by mDNS)
     * @param advertisedIp    what the {@code ip} parameter says; with a non-80 port it carries
     *                        {@code :port}, since several simulated cameras share one address
     */
    public SimulatedCamera(List<byte[]> frames, double fps, int port, URI register, String advertisedIp, Duration reRegisterEvery,
                           InetAddress bindAddress) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("simulated camera needs at least one image");
        }
        if (!(fps > 0 && fps <= 60)) {
            throw new IllegalArgumentException("--fps must be in (0, 60] (was " + fps + ")");
        }
        this.frames = List.copyOf(frames);
        this.fps = fps;
        this.port = port;
        this.register = register;
        this.advertisedIp = advertisedIp;
        this.reRegisterEvery = Objects.requireNonNull(reRegisterEvery, "reRegisterEvery");
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        byte[] t = new byte[4];
        new SecureRandom().nextBytes(t);
        this.token = HexFormat.of().formatHex(t); // like esp_random() printed as %08x
    }

    /**
     * The n-th simulated camera's own loopback address (127.0.0.2, 127.0.0.3, ...): like real
     * cameras, each has an address of its own, and registers from it.
     */
    public static InetAddress loopback(int n) {
        if (n < 0 || n >= 250 * 250) {
            throw new IllegalArgumentException("simulated camera number must be in 0.." + (250 * 250 - 1) + " (was " + n + ")");
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (2 + n % 250)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized SimulatedCamera start() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(bindAddress, port));
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        port = ss.getLocalPort();
        server = ss;
        running = true;
        Thread.ofVirtual().name("simcam-accept-" + port).start(() -> acceptLoop(ss));
        if (registrar == null && register != null) {
            registrar = Thread.ofVirtual().name("simcam-register-" + port).start(this::registerLoop);
        }
        return this;
    }

    /** Simulates the camera dying: the listener and every connection close at once. */
    public synchronized void kill() {
        ServerSocket ss = server;
        server = null;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Comes back after {@link #kill()} on the same port (like a rebooted camera, same token). */
    public synchronized void revive() throws IOException {
        if (server == null) {
            start();
        }
    }

    /** The IP the camera registers as (its {@code ip} parameter without the port). */
    public String advertisedIp() {
        return advertisedIp;
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    public String ip() {
        return port == 80 ? advertisedIp : advertisedIp + ":" + port;
    }

    public long framesSent() {
        return framesSent.get();
    }

    /** Authorised {@code /stream} requests, including refused concurrent ones. */
    public long streamRequests() {
        return streamRequests.get();
    }

    public long registrations() {
        return registrations.get();
    }

    public String lastRegistrationReply() {
        return lastRegistrationReply;
    }

    public boolean streaming() {
        return streaming.get();
    }

    private void acceptLoop(ServerSocket ss) {
        while (running && !ss.isClosed()) {
            try {
                Socket s = ss.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> handle(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            String requestLine = readLine(in);
            if (requestLine == null) {
                return;
            }
            while (true) {
                String h = readLine(in);
                if (h == null || h.isEmpty()) {
                    break;
                }
            }
            String[] parts = requestLine.split(" ");
            String target = parts.length > 1 ? parts[1] : "/";
            URI uri = URI.create(target);
            String path = uri.getPath();
            String given = queryParam(uri.getRawQuery(), "token");
            OutputStream out = s.getOutputStream();
            if (!path.equals("/stream") && !path.equals("/cam-hi.jpg")) {
                simple(out, 404, "Not Found", "not found");
                return;
            }
            if (!token.equals(given)) {
                simple(out, 401, "Unauthorized", given == null ? "token required" : "wrong token");
                return;
            }
            if (path.equals("/cam-hi.jpg")) {
                byte[] jpeg = frames.get((int) (framesSent.get() % frames.size()));
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.flush();
                return;
            }
            streamRequests.incrementAndGet();
            if (!streaming.compareAndSet(false, true)) {
                simple(out, 503, "Service Unavailable", "camera busy: one stream client at a time");
                return;
            }
            try {
                stream(out);
            } finally {
                streaming.set(false);
                synchronized (wake) {
                    wake.notifyAll(); // re-register right after a stream ends, as the firmware does
                }
            }
        } catch (IOException e) {
            // client went away or the camera was killed
        } finally {
            open.remove(s);
        }
    }

    private void stream(OutputStream out) throws IOException {
        out.write(Firmware.streamResponseHead());
        long interval = Math.round(1e9 / fps);
        long next = System.nanoTime();
        int i = 0;
        while (running) {
            byte[] jpeg = frames.get(i++ % frames.size());
            out.write(Firmware.partHeader(jpeg.length));
            out.write(jpeg);
            out.write(Firmware.partTrailer());
            out.flush();
            framesSent.incrementAndGet();
            next += interval;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else {
                next = System.nanoTime(); // fell behind (slow reader): do not burst to catch up
            }
        }
    }

    private void registerLoop() {
        while (running) {
            if (!streaming.get() && server != null) {
                registerOnce();
            }
            synchronized (wake) {
                try {
                    wake.wait(reRegisterEvery.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends the firmware's exact request; reads up to ~1 KB of reply after ~1 s, unchecked. */
    public void registerOnce() {
        int p = register.getPort() < 0 ? 80 : register.getPort();
        try (Socket s = new Socket()) {
            InetAddress target = InetAddress.getByName(register.getHost());
            if (!bindAddress.isAnyLocalAddress() && bindAddress.isLoopbackAddress() == target.isLoopbackAddress()) {
                // A camera registers from its own address: the server accepts nothing else.
                s.bind(new InetSocketAddress(bindAddress, 0));
            }
            s.connect(new InetSocketAddress(target, p), 2000);
            s.setSoTimeout(1000);
            s.getOutputStream().write(Firmware.registrationRequest(ip(), token));
            s.getOutputStream().flush();
            registrations.incrementAndGet();
            byte[] reply = new byte[1024];
            int n = 0;
            try {
                int r;
                while (n < reply.length && (r = s.getInputStream().read(reply, n, reply.length - n)) > 0) {
                    n += r;
                }
            } catch (java.net.SocketTimeoutException ignored) {
                // the firmware reads what arrived within ~1 s and moves on
            }
            lastRegistrationReply = new String(reply, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            lastRegistrationReply = "unreachable: " + e.getMessage();
        }
    }

    private static void simple(OutputStream out, int status, String reason, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String kv : rawQuery.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > 8192) {
                throw new SocketException("request line too long");
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        running = false;
        kill();
        synchronized (wake) {
            wake.notifyAll();
        }
    }
}
