package io.camserver.comms;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.LivePayload;
import io.camserver.live.TrackOutcome;
import io.camserver.store.Journal;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts events to the configured webhooks: the same JSON as the SSE event, named in
 * {@code X-Camserver-Event}, stamped {@code X-Camserver-Timestamp: <unix seconds>} and signed with
 * {@code X-Camserver-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}: a receiver
 * recomputes the HMAC and refuses a timestamp more than {@link #REPLAY_WINDOW} from its clock, so
 * a delivery captured on the way cannot be replayed later (a door that opens twice). Each hook has
 * its own sender, so a slow or dead receiver delays nobody else. Redirects are not followed.
 *
 * <p>Deliveries wait in a journal of the hook's own on local disk (bounded), so a receiver that is
 * down, or camserver restarting, loses none: they are delivered in order, each try with a 5 s
 * timeout, retried 1, 2, 4... up to 60 s apart, until delivered or older than the hook's
 * {@code maxAge} (default 10 minutes: an event about who is at the door is not worth acting on an
 * hour later), then dropped and counted. The body carries the time it happened ({@code at}).
 */
public final class Webhooks implements Dispatcher.Subscriber, AutoCloseable {
    private final java.util.function.Function<String, String> cameraName;
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int RETRIES = 3;
    /** How far a receiver should accept a delivery's timestamp from its own clock (docs/integrations.md). */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    /** What {@code /api/integrations} shows of one hook. */
    public record Status(String url, List<String> events, long sent, long failed, long dropped, String lastError, int waiting) {
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final List<Hook> hooks = new ArrayList<>();
    private final java.nio.file.Path journals;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile boolean running = true;

    /**
     * @param cameraName gives each event's {@code cameraName}
     * @param journals   the folder under which each hook keeps its pending deliveries
     */
    public Webhooks(List<WebhookConfig> configs, java.util.function.Function<String, String> cameraName, java.nio.file.Path journals) {
        this.cameraName = Objects.requireNonNull(cameraName, "cameraName");
        this.journals = Objects.requireNonNull(journals, "journals");
        for (WebhookConfig c : configs) {
            hooks.add(new Hook(c));
            String host = c.url().getHost() == null ? "" : c.url().getHost();
            boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
            if ("http".equalsIgnoreCase(c.url().getScheme()) && !loopback) {
                log.warn("webhook {}: plain http: every event, and its signature, crosses the network readable by anyone on the path; "
                        + "use https", c.shown());
            }
        }
    }

    /** Queues the event for each hook that wants it; never waits (a full hook drops and counts). */
    @Override
    public void accept(LiveEvent e) {
        for (Hook h : hooks) {
            if (h.wants(e)) {
                h.offer(e);
            }
        }
    }

    public List<Status> status() {
        return hooks.stream().map(Hook::status).toList();
    }

    /** The signature of a delivery: hex HMAC-SHA256 of {@code "<timestamp>.<body>"} with the hook's secret. */
    static String sign(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", ex);
        }
    }

    /** One receiver: its hand-over queue, its journal, its sender thread and its counts. */
    private final class Hook {
        private final WebhookConfig cfg;
        /** From the dispatcher to the sender, which journals at once (the dispatcher never waits on disk). */
        private final BlockingQueue<LiveEvent> queue = new ArrayBlockingQueue<>(256);
        private final Journal journal;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final Thread sender;
        private volatile String lastError;
        private long backoffMs;
        private long nextTry;

        Hook(WebhookConfig cfg) {
            this.cfg = cfg;
            // One folder per receiver URL (hashed: the URL may carry a token), so a reordered config keeps each hook's own.
            this.journal = new Journal(journals.resolve(folder(cfg)), 10_000, 64L << 20);
            this.sender = Thread.ofVirtual().name("webhook-" + cfg.url().getHost()).start(this::send);
        }

        boolean wants(LiveEvent e) {
            return switch (e) {
                case TrackOutcome.Decided f -> !f.ignored()
                        && (cfg.events().contains("face") || (f.personId() == null && cfg.events().contains("unknown")));
                case TrackOutcome.Ended x -> false;
                default -> LivePayload.type(e).map(cfg.events()::contains).orElse(false);
            };
        }

        void offer(LiveEvent e) {
            if (!queue.offer(e)) {
                dropped.incrementAndGet();
            }
        }

        Status status() {
            return new Status(cfg.shown(), cfg.events().stream().sorted().toList(), sent.get(), failed.get(),
                    dropped.get(), lastError, journal.size());
        }

        private void send() {
            while (running) {
                try {
                    LiveEvent e = queue.poll(journal.isEmpty() ? 1000 : 100, TimeUnit.MILLISECONDS);
                    for (; e != null; e = queue.poll()) {
                        keep(e);
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!journal.isEmpty() && System.currentTimeMillis() >= nextTry) {
                    deliverOldest();
                }
            }
        }

        private void keep(LiveEvent e) {
            String type = LivePayload.type(e).orElseThrow();
            byte[] body = HomeAssistant.write(LivePayload.of(e, cameraName).orElseThrow()).getBytes(StandardCharsets.UTF_8);
            if (!journal.append(Pending.encode(new Pending(type, System.currentTimeMillis(), body)))) {
                dropped.incrementAndGet();
                log.warn("webhook {}: {} deliveries waiting, the journal is full: a {} event is lost", cfg.shown(), journal.size(), type);
            }
        }

        /** One try at the oldest pending delivery; the next waits on it, so a receiver sees events in order. */
        private void deliverOldest() {
            Journal.Entry entry = journal.first().orElseThrow();
            Pending p = Pending.decode(entry.data());
            long now = System.currentTimeMillis();
            if (now - p.at() > cfg.maxAge().toMillis()) {
                journal.remove(entry);
                dropped.incrementAndGet();
                log.warn("webhook {}: a {} event from {} s ago given up (maxAge {}; last error: {})", cfg.shown(), p.type(), (now - p.at()) / 1000,
                        cfg.maxAge(), lastError);
                nextTry = 0;
                return;
            }
            String why = post(p);
            if (why == null) {
                journal.remove(entry);
                sent.incrementAndGet();
                backoffMs = 0;
                nextTry = 0;
                if (lastError != null) {
                    log.info("webhook {}: delivering again ({} waiting)", cfg.shown(), journal.size());
                    lastError = null;
                }
                return;
            }
            failed.incrementAndGet();
            if (!why.equals(lastError)) {
                log.warn("webhook {}: {} ({} event; {} waiting, retried until {} old)", cfg.shown(), why, p.type(), journal.size(), cfg.maxAge());
            }
            lastError = why;
            backoffMs = backoffMs == 0 ? 1000 : Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            nextTry = System.currentTimeMillis() + backoffMs;
        }

        /** Posts once; null when the receiver took it, else why not. */
        private String post(Pending p) {
            // Each try is stamped anew: a retry minutes later is still inside the receiver's window.
            String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
            HttpRequest req = HttpRequest.newBuilder(cfg.url()).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "camserver")
                    .header("X-Camserver-Event", p.type())
                    .header("X-Camserver-Timestamp", timestamp)
                    .header("X-Camserver-Signature", "sha256=" + sign(cfg.secret(), timestamp, p.body()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(p.body())).build();
            try {
                HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
            } catch (java.net.http.HttpTimeoutException te) {
                return "no answer within " + TIMEOUT.toSeconds() + " s";
            } catch (java.net.ConnectException ce) {
                return "connection refused";
            } catch (IOException ioe) {
                return ioe.getClass().getSimpleName();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    /** The hook's journal folder: a hash of its URL (which may carry a token), never the URL itself. */
    private static String folder(WebhookConfig cfg) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(cfg.url().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** A delivery waiting in the journal: its event type, when it was queued, and its body as built then. */
    record Pending(String type, long at, byte[] body) {
        static byte[] encode(Pending p) {
            byte[] type = p.type().getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 8 + 2 + type.length + p.body().length);
            b.put((byte) 1).putLong(p.at()).putShort((short) type.length).put(type).put(p.body());
            return b.array();
        }

        static Pending decode(byte[] data) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
            if (b.get() != 1) {
                throw new IllegalArgumentException("webhook journal record of an unknown version");
            }
            long at = b.getLong();
            byte[] type = new byte[b.getShort()];
            b.get(type);
            byte[] body = new byte[b.remaining()];
            b.get(body);
            return new Pending(new String(type, StandardCharsets.UTF_8), at, body);
        }
    }

    @Override
    public void close() {
        running = false;
        for (Hook h : hooks) {
            h.sender.interrupt();
        }
        http.close();
    }
}
