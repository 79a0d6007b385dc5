package io.camserver.app;

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
final class FakeCamera implements AutoCloseable {
    interface Behaviour {
        void serve(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    FakeCamera(Behaviour behaviour) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
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

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
