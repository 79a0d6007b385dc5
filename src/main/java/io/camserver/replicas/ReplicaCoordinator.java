package io.camserver.replicas;

import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.CameraState;
import io.camserver.ingest.registration.IpLiteral;
import io.camserver.ingest.registration.RegistrationPolicy;
import io.camserver.store.ReplicaStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits cameras between the replicas of a scale-out deployment, with the shared PostgreSQL
 * database as the only coordination: replicas heartbeat into it, any replica records a
 * registration it receives, and each camera is pulled by the live replica that rendezvous
 * hashing gives it to. Every replica reconciles on each heartbeat (adopting the cameras it owns,
 * dropping the ones it no longer does), so when a replica dies its cameras move to the others
 * once its heartbeat is {@code deadAfter} old, and only those move.
 */
public final class ReplicaCoordinator implements CameraRegistry.Registrar, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaCoordinator.class);

    /** A camera pulled from a URL (config file or API): in scale-out, pulled by its owner only. */
    public record Pulled(String id, CameraRegistry.Source source, Camera.Origin origin) {
    }

    private final ReplicaStore store;
    private final CameraRegistry registry;
    private final String me;
    private final Duration heartbeat;
    private final Duration deadAfter;
    private final List<Pulled> configured;
    /** Cameras added through the API, read from the shared database at every round. */
    private final java.util.function.Supplier<List<Pulled>> managed;
    /** What each camera this replica started was started with: a changed definition restarts it. */
    private final java.util.Map<String, Pulled> started = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread loop;
    private volatile List<String> members = List.of();
    private volatile String advertiseUrl;
    /** The addresses the live replicas advertise, resolved at each heartbeat: where a peer's request may come from. */
    private volatile java.util.Set<java.net.InetAddress> replicaAddresses = java.util.Set.of();
    private final RemoteCameras remote;
    private volatile boolean running = true;

    /**
     * @param remote the other replicas' cameras as this one sees and relays them; refreshed here
     *               on every heartbeat
     */
    public ReplicaCoordinator(ReplicaStore store, CameraRegistry registry, RemoteCameras remote, String me, Duration heartbeat,
                              Duration deadAfter, List<Pulled> configured, java.util.function.Supplier<List<Pulled>> managed) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.me = Objects.requireNonNull(me, "me");
        if (deadAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("replicas.deadAfter must be at least twice replicas.heartbeat (were " + deadAfter.toMillis()
                    + "ms and " + heartbeat.toMillis() + "ms)");
        }
        this.heartbeat = heartbeat;
        this.deadAfter = deadAfter;
        this.configured = List.copyOf(configured);
        this.managed = java.util.Objects.requireNonNull(managed, "managed");
        reconcile();
        this.loop = Thread.ofVirtual().name("replica-" + me).start(this::run);
        log.info("scale-out: replica {} joined; members {}", me, members);
    }

    /** Where peers reach this replica, once its HTTP server is up; sent with every heartbeat. */
    public void advertise(String url) {
        this.advertiseUrl = Objects.requireNonNull(url, "url");
    }

    /** Whether {@code a} is the address of a live replica (as advertised in the database). */
    public boolean isReplica(java.net.InetAddress a) {
        return replicaAddresses.contains(a);
    }

    /** Each member's advertised host, resolved; a name that does not resolve now keeps what it resolved to before. */
    private static java.util.Set<java.net.InetAddress> resolve(List<ReplicaStore.Member> alive, java.util.Set<java.net.InetAddress> before) {
        java.util.Set<java.net.InetAddress> out = new java.util.HashSet<>();
        for (ReplicaStore.Member m : alive) {
            if (m.url() == null) {
                continue;
            }
            try {
                String host = java.net.URI.create(m.url()).getHost();
                if (host != null) {
                    out.addAll(List.of(java.net.InetAddress.getAllByName(host.replaceAll("^\\[|\\]$", ""))));
                }
            } catch (java.net.UnknownHostException | IllegalArgumentException e) {
                log.debug("scale-out: replica {} at {} does not resolve now: {}", m.name(), m.url(), e.toString());
                return before.isEmpty() ? out : java.util.Set.copyOf(before);
            }
        }
        return java.util.Set.copyOf(out);
    }

    public List<String> members() {
        return members;
    }

    public String me() {
        return me;
    }

    /** /register on any replica: checked here, recorded for all, pulled by the owner. */
    @Override
    public CameraRegistry.Registration register(String ip, String token, String key, InetAddress source) {
        RegistrationPolicy policy = registry.policy();
        RegistrationPolicy.Result r = policy.check(ip, token, key, source);
        if (!r.ok()) {
            return new CameraRegistry.Refused(r.refusal().status(), r.refusal().reason());
        }
        String id = Camera.idFor(r.address());
        // The same caps as a single server, counted over the shared table: one LAN guest cannot
        // fill the whole deployment by spreading fake registrations over the replicas.
        ReplicaStore.Admission a = store.registerCapped(id, r.address().authority(), token, System.currentTimeMillis(),
                policy.maxCameras(), policy.maxPerAddress(),
                stored -> IpLiteral.parseHostPort(stored).map(hp -> hp.address().equals(source)).orElse(false));
        switch (a.refusedBy()) {
            case TOTAL -> {
                return new CameraRegistry.Refused(429, "camera limit of " + policy.maxCameras() + " reached (registration.maxCameras)");
            }
            case PER_ADDRESS -> {
                return new CameraRegistry.Refused(429, CameraRegistry.perAddressLimit(a.count(), source, policy));
            }
            case NONE -> {
            }
        }
        if (Rendezvous.owner(id, members).map(me::equals).orElse(true)) {
            return registry.registerTrusted(r.address(), token); // ours: no need to wait a heartbeat
        }
        return new CameraRegistry.Accepted(null, "recorded");
    }

    @Override
    public void forget(String cameraId) {
        store.forget(cameraId);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(heartbeat);
                reconcile();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be briefly unreachable; keep pulling what we have and retry.
                log.warn("scale-out: reconcile failed: {}", e.getMessage());
            }
        }
    }

    /** One round: heartbeat, then adopt what we own and drop what we do not. */
    void reconcile() {
        long now = System.currentTimeMillis();
        store.heartbeat(me, advertiseUrl, now);
        List<ReplicaStore.Member> alive = store.liveMembers(now - deadAfter.toMillis());
        List<String> live = new ArrayList<>(alive.stream().map(ReplicaStore.Member::name).toList());
        if (!live.contains(me)) {
            live.add(me);
        }
        members = List.copyOf(live);
        replicaAddresses = resolve(alive, replicaAddresses);
        // Cameras we are streaming from do not re-register (the firmware only does so while idle):
        // renew their shared entries, so expiry forgets only those that never streamed or stopped.
        store.touch(registry.cameras().stream()
                .filter(c -> c.origin() == Camera.Origin.REGISTERED && c.puller().status().state() == CameraState.STREAMING)
                .map(Camera::id).toList(), now);
        store.expire(now - registry.policy().expireAfter().toMillis());
        Set<String> owned = new HashSet<>();
        for (ReplicaStore.Registration reg : store.registrations()) {
            if (!owns(reg.cameraId())) {
                continue;
            }
            Optional<IpLiteral.HostPort> hp = IpLiteral.parseHostPort(reg.address());
            if (hp.isEmpty()) {
                continue;
            }
            owned.add(reg.cameraId());
            Optional<Camera> local = registry.get(reg.cameraId());
            if (local.isEmpty() || !reg.token().equals(local.get().token().orElse(null))) {
                registry.registerTrusted(hp.get(), reg.token());
                log.info("scale-out: {} now pulls camera {}", me, reg.cameraId());
            }
        }
        List<Pulled> defined = new ArrayList<>(configured);
        defined.addAll(managed.get());
        Set<String> definedIds = new HashSet<>();
        for (Pulled s : defined) {
            definedIds.add(s.id());
            boolean mine = owns(s.id());
            boolean here = registry.get(s.id()).isPresent();
            if (mine && here && !s.equals(started.get(s.id()))) {
                registry.remove(s.id()); // changed through the API: start again with the new definition
                here = false;
            }
            if (mine && !here) {
                registry.add(s.id(), s.source(), s.origin());
                started.put(s.id(), s);
            } else if (!mine && here) {
                registry.remove(s.id());
                started.remove(s.id());
            }
        }
        for (Camera c : registry.cameras()) {
            if (c.origin() == Camera.Origin.API && !definedIds.contains(c.id())) {
                registry.remove(c.id()); // deleted through another replica
                started.remove(c.id());
            }
        }
        for (Camera c : registry.cameras()) {
            if (c.origin() == Camera.Origin.REGISTERED && !owned.contains(c.id())) {
                registry.remove(c.id());
                log.info("scale-out: {} hands camera {} over", me, c.id());
            }
        }
        for (Camera c : registry.cameras()) {
            remote.local(c.id()); // pulled here now: no relay of it from elsewhere
        }
        remote.refresh(alive.stream().filter(m -> !m.name().equals(me)).toList());
    }

    private boolean owns(String cameraId) {
        return Rendezvous.owner(cameraId, members).map(me::equals).orElse(false);
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(2000);
            store.leave(me); // the others take over at once instead of after deadAfter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("scale-out: leaving: {}", e.getMessage());
        }
    }
}
