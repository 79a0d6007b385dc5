package io.camserver.comms;

import io.camserver.live.Dispatcher;
import io.camserver.live.LiveEvent;
import io.camserver.live.LivePayload;
import io.camserver.live.TrackOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what analysis decides to an MQTT broker, the way Home Assistant and Frigate's users
 * expect: {@code camserver/status} (retained {@code online}; {@code offline} as the Last Will and
 * on shutdown), a face message per decided track as soon as it is decided, the last person and
 * snapshot per camera (retained), each known person's presence (retained {@code home} /
 * {@code not_home}), and Home Assistant discovery for all of them.
 *
 * <p>It never gets in analysis' way: decisions are handed over through a bounded queue (full:
 * dropped and counted), and one thread of its own owns the connection and all state. It starts
 * whether or not the broker is up, connects with backoff, and on every (re)connection publishes
 * the retained state and discovery again; while the broker is away, presence is still tracked and
 * decisions wait in a bounded {@link Backlog}, published in order when it is back.
 */
public final class MqttBridge implements Dispatcher.Subscriber, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);
    private static final long RECONCILE_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final MqttConfig cfg;
    private final HomeAssistant ha;
    private final Supplier<List<String>> cameras;
    private final java.util.function.Function<String, String> cameraName;
    private final Supplier<List<PersonRef>> people;
    private final BlockingQueue<TrackOutcome.Decided> inbox = new ArrayBlockingQueue<>(64);
    /** Decisions made while the broker was away: published in order on reconnection. */
    private final Backlog pending = new Backlog(256, java.time.Duration.ofMinutes(10));
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread loop;
    private volatile boolean running = true;
    /** The connection's state, which Paho's callbacks also set. */
    private final MqttLink link;

    // Owned by the loop thread.
    private MqttClient client;
    private final LastSeen lastSeen = new LastSeen();
    private final Presences presence;
    private final Set<String> cameraConfigs = new HashSet<>();
    private final Map<String, Presences.Presence> personConfigs = new HashMap<>();
    private long lastReconcile;

    /**
     * @param cameras    the camera ids to announce (re-read every few seconds: added cameras appear,
     *                   removed ones are withdrawn)
     * @param people     the known people, likewise
     * @param cameraName gives face messages their {@code cameraName}
     */
    public MqttBridge(MqttConfig cfg, Supplier<List<String>> cameras, Supplier<List<PersonRef>> people,
                      java.util.function.Function<String, String> cameraName) {
        this.cameraName = Objects.requireNonNull(cameraName, "cameraName");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.ha = new HomeAssistant(cfg);
        this.presence = new Presences(cfg.presenceTimeout());
        this.link = new MqttLink(cfg);
        this.cameras = Objects.requireNonNull(cameras, "cameras");
        this.people = Objects.requireNonNull(people, "people");
        this.loop = Thread.ofPlatform().daemon().name("mqtt").start(this::run);
    }

    /** Takes decided tracks (names, presence, snapshots); never waits. */
    @Override
    public void accept(LiveEvent event) {
        if (event instanceof TrackOutcome.Decided d && !d.ignored() && !inbox.offer(d)) {
            dropped.incrementAndGet();
        }
    }

    /** A sighting the user rejected: a camera whose retained person and snapshot are of it is cleared. */
    public void retract(String eventId) {
        lastSeen.retract(eventId);
    }

    public MqttStatus status() {
        return new MqttStatus(cfg.broker(), link.connected, link.lastError, sent.get(), dropped.get());
    }

    private void run() {
        long backoff = 1000;
        try {
            while (running) {
                if (!link.connected) {
                    if (connect()) {
                        backoff = 1000;
                        flushPending();
                    } else {
                        // Decisions keep arriving while the broker is away: presence stays true.
                        waitAndAbsorb(backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1));
                        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                        continue;
                    }
                }
                try {
                    TrackOutcome.Decided d = inbox.poll(500, TimeUnit.MILLISECONDS);
                    if (d != null) {
                        decided(d);
                    }
                    long now = System.currentTimeMillis();
                    if (link.rediscover) {
                        link.rediscover = false;
                        log.info("mqtt: Home Assistant came online; publishing discovery again");
                        announceAll();
                    }
                    if (now - lastReconcile > RECONCILE_MS) {
                        lastReconcile = now;
                        reconcile();
                    }
                    for (String camera : lastSeen.withdrawn(now - cfg.keepFor().toMillis())) {
                        clearCameraState(camera);
                    }
                    expirePresence(now);
                } catch (MqttException e) {
                    lost(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("mqtt: integration stopped by an internal error", e);
        } finally {
            shutdown();
        }
    }

    private boolean connect() {
        MqttFailures.closeQuietly(client); // a connection the broker dropped: its client goes before the next one
        client = null;
        MqttClient c = null;
        try {
            c = new MqttClient(cfg.url().toString(), cfg.connectionId(), new MemoryPersistence());
            c.setTimeToWait(5000);
            c.setCallback(link);
            c.connect(link.options(ha.statusTopic()));
            client = c;
            link.connected = true;
            if (link.lastError != null) {
                log.info("mqtt: connected to {} (after: {})", cfg.broker(), link.lastError);
            } else {
                log.info("mqtt: connected to {}", cfg.broker());
            }
            link.lastError = null;
            c.subscribe(cfg.discoveryPrefix() + "/status", 1);
            publish(ha.statusTopic(), "online", 1, true);
            announceAll();
            republishState();
            lastReconcile = System.currentTimeMillis();
            return true;
        } catch (MqttException e) {
            String why = MqttFailures.describe(e);
            if (!why.equals(link.lastError)) {
                log.warn("mqtt: cannot connect to {}: {}; retrying with backoff", cfg.broker(), why);
            }
            link.lastError = why;
            link.connected = false;
            MqttFailures.closeQuietly(c);
            client = null;
            return false;
        }
    }

    private void lost(MqttException e) {
        String why = MqttFailures.describe(e);
        log.warn("mqtt: lost {}: {}; reconnecting", cfg.broker(), why);
        link.lastError = why;
        link.connected = false;
        MqttFailures.closeQuietly(client);
        client = null;
    }

    /** Publishes, in order, what was decided while the broker was away (a face message says when it was decided). */
    private void flushPending() {
        long now = System.currentTimeMillis();
        try {
            for (TrackOutcome.Decided d = pending.next(); d != null; d = pending.next()) {
                if (pending.stale(d, now)) {
                    dropped.incrementAndGet();
                } else {
                    decided(d);
                }
                pending.done();
            }
        } catch (MqttException e) {
            lost(e); // what is left waits for the next connection
        }
    }

    /** Waits out a backoff while keeping presence true; decisions made meanwhile wait in {@link #pending}. */
    private void waitAndAbsorb(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (running) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            TrackOutcome.Decided d = inbox.poll(left, TimeUnit.MILLISECONDS);
            if (d != null) {
                remember(d);
                dropped.addAndGet(pending.add(d)); // full: the oldest goes, the newest say most about now
            }
            presence.expire(System.currentTimeMillis()); // published once the broker is back
        }
    }

    private void remember(TrackOutcome.Decided d) {
        lastSeen.remember(d);
        if (d.personId() != null) {
            presence.seen(d, slugFor(d.personId(), d.personName()));
        }
    }

    private void decided(TrackOutcome.Decided d) throws MqttException {
        if (!cameraConfigs.contains(d.cameraId())) {
            announceCamera(d.cameraId()); // a face before the next reconcile: announce its camera first
        }
        Presences.Presence before = d.personId() == null ? null : presence.get(d.personId());
        remember(d);
        Map<String, Object> face = new LinkedHashMap<>(LivePayload.of(d, cameraName).orElseThrow());
        face.put("event_type", d.personId() == null ? "unknown" : "known");
        publish(cfg.topic(d.cameraId(), "face"), HomeAssistant.write(face), 1, false);
        publish(cfg.topic(d.cameraId(), "person"), d.personName(), 1, true);
        publishBytes(cfg.topic(d.cameraId(), "snapshot"), d.snapshot(), 0, cfg.retainSnapshots());
        if (d.personId() != null) {
            Presences.Presence now = presence.get(d.personId());
            if (before == null || !before.home() || !before.camera().equals(now.camera()) || now.lastSeenMs() - before.lastSeenMs() > 60_000) {
                publishPresence(now); // attributes are refreshed at most once a minute per camera
            }
        }
    }

    private void expirePresence(long now) throws MqttException {
        for (Presences.Presence away : presence.expire(now)) {
            publishPresence(away);
        }
    }

    private void publishPresence(Presences.Presence p) throws MqttException {
        publish(cfg.topic("people", p.slug()), p.home() ? "home" : "not_home", 1, true);
        publish(cfg.topic("people", p.slug(), "attributes"), HomeAssistant.write(p.attributes()), 1, true);
    }

    /** Discovery for the server, every camera and every person (after a connection, or when Home Assistant restarts). */
    private void announceAll() throws MqttException {
        for (HomeAssistant.Config c : ha.server()) {
            publish(c.topic(), c.payload(), 1, true);
        }
        cameraConfigs.clear();
        personConfigs.clear();
        reconcile();
    }

    private void announceCamera(String camera) throws MqttException {
        for (HomeAssistant.Config c : ha.camera(camera)) {
            publish(c.topic(), c.payload(), 1, true);
        }
        cameraConfigs.add(camera);
    }

    /** Brings the announced cameras and people in line with the current ones. */
    private void reconcile() throws MqttException {
        Set<String> current = new HashSet<>(cameras.get());
        for (String c : current) {
            if (!cameraConfigs.contains(c)) {
                announceCamera(c);
            }
        }
        for (String c : new ArrayList<>(cameraConfigs)) {
            if (!current.contains(c)) {
                for (HomeAssistant.Config cfgMsg : ha.removeCamera(c)) {
                    publish(cfgMsg.topic(), "", 1, true);
                }
                clearCameraState(c);
                cameraConfigs.remove(c);
            }
        }
        Map<String, PersonRef> known = new LinkedHashMap<>();
        people.get().stream().sorted(Comparator.comparing(PersonRef::id)).forEach(p -> known.put(p.id(), p));
        clearRetainedOfGone(known.values().stream().map(PersonRef::name).collect(java.util.stream.Collectors.toSet()));
        Map<String, String> slugs = Slug.forPeople(known.values());
        for (PersonRef p : known.values()) {
            String slug = slugs.get(p.id());
            Presences.Presence announced = personConfigs.get(p.id());
            if (announced != null && announced.slug().equals(slug) && announced.name().equals(p.name())) {
                continue;
            }
            if (announced != null && !announced.slug().equals(slug)) {
                clearPresenceTopics(announced.slug()); // renamed: the old topics go
            }
            Presences.Presence state = presence.get(p.id());
            Presences.Presence now = state == null ? new Presences.Presence(p.name(), slug, 0, "", 0, false)
                    : new Presences.Presence(p.name(), slug, state.lastSeenMs(), state.camera(), state.similarity(), state.home());
            presence.put(p.id(), now);
            for (HomeAssistant.Config c : ha.person(p.id(), p.name(), slug)) {
                publish(c.topic(), c.payload(), 1, true);
            }
            publishPresence(now);
            personConfigs.put(p.id(), now);
        }
        for (String id : new ArrayList<>(personConfigs.keySet())) {
            if (!known.containsKey(id)) {
                for (HomeAssistant.Config c : ha.removePerson(id)) {
                    publish(c.topic(), "", 1, true);
                }
                clearPresenceTopics(personConfigs.remove(id).slug());
                presence.remove(id);
            }
        }
    }

    /** A camera's retained last person and snapshot go. */
    private void clearCameraState(String camera) throws MqttException {
        publish(cfg.topic(camera, "person"), "", 1, true);
        publishBytes(cfg.topic(camera, "snapshot"), new byte[0], 1, true);
        lastSeen.forget(camera);
    }

    /** A camera whose retained last person (and snapshot) names nobody known now (deleted, renamed): cleared. */
    private void clearRetainedOfGone(Set<String> names) throws MqttException {
        for (String camera : lastSeen.namingNoneOf(names)) {
            clearCameraState(camera);
        }
    }

    private void clearPresenceTopics(String slug) throws MqttException {
        publish(cfg.topic("people", slug), "", 1, true);
        publish(cfg.topic("people", slug, "attributes"), "", 1, true);
    }

    /** After a reconnection: the last person per camera and every presence, retained again. */
    private void republishState() throws MqttException {
        for (Map.Entry<String, LastSeen.Entry> e : lastSeen.all().entrySet()) {
            publish(cfg.topic(e.getKey(), "person"), e.getValue().person(), 1, true);
        }
        for (Presences.Presence p : presence.all()) {
            publishPresence(p);
        }
    }

    private String slugFor(String personId, String name) {
        Presences.Presence announced = personConfigs.get(personId);
        return announced != null ? announced.slug() : Slug.of(name);
    }

    private void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        publishBytes(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    private void publishBytes(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
        if (client == null) {
            dropped.incrementAndGet();
            return;
        }
        client.publish(topic, payload, qos, retained);
        sent.incrementAndGet();
    }

    private void shutdown() {
        link.shutdown(client, ha.statusTopic());
        client = null;
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
