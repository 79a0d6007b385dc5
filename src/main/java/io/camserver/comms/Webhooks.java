package io.camserver.comms;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.LivePayload;
import io.camserver.live.TrackOutcome;
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
 * a delivery captured on the way cannot be replayed later (a door that opens twice). Each hook has its own bounded queue and sender, so a slow or dead
 * receiver delays nobody else; a delivery gets a 5 s timeout and 3 retries (1, 2, 4 s apart),
 * then it is dropped and counted. Redirects are not followed.
 */
public final class Webhooks implements Dispatcher.Subscriber, AutoCloseable {
    private final java.util.function.Function<String, String> cameraName;
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int RETRIES = 3;
    /** How far a receiver should accept a delivery's timestamp from its own clock (docs/integrations.md). */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    /** What {@code /api/integrations} shows of one hook. */
    public record Status(String url, List<String> events, long sent, long failed, long dropped, String lastError) {
    }

    private final List<Hook> hooks = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile boolean running = true;

    /** @param cameraName gives each event's {@code cameraName} */
    public Webhooks(List<WebhookConfig> configs, java.util.function.Function<String, String> cameraName) {
        this.cameraName = Objects.requireNonNull(cameraName, "cameraName");
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

    /** One receiver: its queue, its sender thread and its counts. */
    private final class Hook {
        private final WebhookConfig cfg;
        private final BlockingQueue<LiveEvent> queue = new ArrayBlockingQueue<>(64);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final Thread sender;
        private volatile String lastError;

        Hook(WebhookConfig cfg) {
            this.cfg = cfg;
            this.sender = Thread.ofVirtual().name("webhook-" + cfg.url().getHost()).start(this::send);
        }

        boolean wants(LiveEvent e) {
            return switch (e) {
                case TrackOutcome.Decided f -> cfg.events().contains("face") || (f.personId() == null && cfg.events().contains("unknown"));
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
                    dropped.get(), lastError);
        }

        private void send() {
            while (running) {
                LiveEvent e;
                try {
                    e = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (e != null) {
                    deliver(e);
                }
            }
        }

        private void deliver(LiveEvent e) {
            String type = LivePayload.type(e).orElseThrow();
            byte[] body = HomeAssistant.write(LivePayload.of(e, cameraName).orElseThrow()).getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; attempt <= RETRIES && running; attempt++) {
                if (attempt > 0) {
                    try {
                        Thread.sleep(Duration.ofSeconds(1L << (attempt - 1)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                // Each attempt is stamped anew: a retry after 4 s is still inside the receiver's window.
                String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
                HttpRequest req = HttpRequest.newBuilder(cfg.url()).timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "camserver")
                        .header("X-Camserver-Event", type)
                        .header("X-Camserver-Timestamp", timestamp)
                        .header("X-Camserver-Signature", "sha256=" + sign(cfg.secret(), timestamp, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                String why;
                try {
                    HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 == 2) {
                        sent.incrementAndGet();
                        if (lastError != null) {
                            log.info("webhook {}: delivering again", cfg.shown());
                            lastError = null;
                        }
                        return;
                    }
                    why = "HTTP " + r.statusCode();
                } catch (java.net.http.HttpTimeoutException te) {
                    why = "no answer within " + TIMEOUT.toSeconds() + " s";
                } catch (java.net.ConnectException ce) {
                    why = "connection refused";
                } catch (IOException ioe) {
                    why = ioe.getClass().getSimpleName();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                failed.incrementAndGet();
                if (!why.equals(lastError)) {
                    log.warn("webhook {}: {} ({} event)", cfg.shown(), why, type);
                }
                lastError = why;
            }
            dropped.incrementAndGet(); // given up after the retries
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
