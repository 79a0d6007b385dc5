package io.camserver.ingest;

import io.camserver.ingest.stream.FrameFeed;

import org.awaitility.Awaitility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The puller survives whatever ends a connection, errors included. The feeds here are hand-made
 * stand-ins for cameras (outside the unit under test); the puller, its backoff and its states
 * are the real ones.
 */
class CameraPullerTest {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0, (byte) 0xFF, (byte) 0xD9};

    /** A feed that yields JPEG-looking frames until closed. */
    private static FrameFeed frames() {
        return new FrameFeed() {
            private volatile boolean closed;

            @Override
            public Optional<byte[]> next() {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return closed ? Optional.empty() : Optional.of(JPEG);
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier ok) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(ok::getAsBoolean);
    }

    @Test
    void aConnectionThatEndsByAnErrorMarksTheCameraOfflineAndIsRetried() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        AtomicLong delivered = new AtomicLong();
        FrameFeed.Opener opener = () -> {
            int n = opens.incrementAndGet();
            if (n == 1) {
                throw new StackOverflowError(); // what a recursive parser used to die of
            }
            if (n == 2) {
                return new FrameFeed() {
                    @Override
                    public Optional<byte[]> next() {
                        throw new OutOfMemoryError("Java heap space");
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            return frames();
        };
        CameraPuller p = new CameraPuller("cam", opener, new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)),
                f -> delivered.incrementAndGet(), CameraPuller.StateChanges.NONE, Duration.ofSeconds(10));
        p.start();
        try {
            waitFor("streaming after two failed connections", () -> p.status().state() == CameraState.STREAMING && delivered.get() > 3);
            assertTrue(p.alive());
            assertEquals(3, opens.get());
            assertTrue(p.status().reconnects() >= 2, "reconnects " + p.status().reconnects());
        } finally {
            p.stop();
        }
    }

    @Test
    void theErrorItselfIsReportedWhileTheCameraIsOffline() throws Exception {
        FrameFeed.Opener opener = () -> {
            throw new StackOverflowError();
        };
        CameraPuller p = new CameraPuller("cam", opener, new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), f -> { },
                CameraPuller.StateChanges.NONE, Duration.ofSeconds(10));
        p.start();
        try {
            waitFor("offline with the reason", () -> p.status().state() == CameraState.OFFLINE
                    && "internal error: StackOverflowError".equals(p.status().lastError()));
            waitFor("still retrying", () -> p.status().reconnects() >= 3);
            assertTrue(p.alive());
        } finally {
            p.stop();
        }
    }

    @Test
    void partsThatAreNotJpegAreCountedAndNeverDelivered() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        AtomicInteger served = new AtomicInteger();
        AtomicLong delivered = new AtomicLong();
        FrameFeed.Opener opener = () -> new FrameFeed() {
            @Override
            public Optional<byte[]> next() throws java.io.IOException {
                int n = served.incrementAndGet();
                if (n > 10) {
                    throw new java.io.IOException("done");
                }
                return Optional.of(n % 2 == 0 ? JPEG : png);
            }

            @Override
            public void close() {
            }
        };
        CameraPuller p = new CameraPuller("cam", opener, new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                f -> delivered.incrementAndGet(), CameraPuller.StateChanges.NONE, Duration.ofSeconds(10));
        p.start();
        try {
            waitFor("the connection to end", () -> p.status().state() == CameraState.OFFLINE);
            assertEquals(5, delivered.get());
            assertEquals(5, p.status().notJpeg());
            assertEquals(5, p.status().frames());
        } finally {
            p.stop();
        }
    }
}
