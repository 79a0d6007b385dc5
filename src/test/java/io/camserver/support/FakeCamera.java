package io.camserver.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A misbehaving camera on loopback: answers every connection with whatever {@code behaviour}
 * writes (a malformed stream, a stall, a flood). For the ingest robustness tests; a stand-in for
 * broken cameras, not for anything under test.
 */
public final class FakeCamera implements AutoCloseable {
    public interface Behaviour {
        void serve(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final InetAddress address;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public FakeCamera(Behaviour behaviour) throws IOException {
        this(behaviour, InetAddress.getLoopbackAddress());
    }

    /** A broken camera listening on {@code address} (a loopback address of its own). */
    public FakeCamera(Behaviour behaviour, InetAddress address) throws IOException {
        this.address = address;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    open.add(s);
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            // read (and ignore) the request head
                            var in = s.getInputStream();
                            int state = 0;
                            while (state < 4) {
                                int c = in.read();
                                if (c < 0) {
                                    return;
                                }
                                state = (c == '\r' || c == '\n') ? state + 1 : 0;
                            }
                            behaviour.serve(s.getOutputStream());
                        } catch (IOException | InterruptedException e) {
                            // the server under test hung up, as it should
                        } finally {
                            open.remove(s);
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections made to it so far. */
    public int connections() {
        return accepted.get();
    }

    public InetAddress address() {
        return address;
    }

    /** The camera id the server gives it once it registers. */
    public String id() {
        return LiveFixture.idOf(address, port());
    }

    /** Registers itself (from its own address), as a camera does, with the server on {@code serverPort}. */
    public LiveFixture.Raw registerWith(int serverPort, String token) throws IOException {
        return LiveFixture.register(serverPort, address, "ip=" + address.getHostAddress() + ":" + port() + "&token=" + token);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
