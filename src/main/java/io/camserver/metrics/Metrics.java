package io.camserver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus registry and the meters the pipeline reports into. Per-camera meters are
 * removed with their camera, so a fleet with churn does not grow the scrape without end.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> perCamera = new ConcurrentHashMap<>();
    private final Timer latency;
    private final LatencyWindow recent = new LatencyWindow(20_000);
    private final Map<String, Timer> stagesCpu = new ConcurrentHashMap<>();
    private final Timer toDecision;
    private final LatencyWindow recentToDecision = new LatencyWindow(20_000);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public Metrics() {
        latency = Timer.builder("camserver.frame.latency")
                .description("from a frame's arrival to its annotated result")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        toDecision = Timer.builder("camserver.track.decision.latency")
                .description("from the arrival of a face's first frame to its track's decision (a name, or unknown)")
                .publishPercentiles(0.5, 0.95)
                .register(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Time spent in a pipeline stage: motion, decode, detect, embed, annotate, encode, mosaic. */
    public Timer stage(String name) {
        return stages.computeIfAbsent(name, n -> Timer.builder("camserver.stage").tag("stage", n)
                .description("time per pipeline stage").publishPercentiles(0.5, 0.95).register(registry));
    }

    /**
     * CPU time the calling thread spent in a stage (its native code included: inference runs on
     * the worker's own thread), beside {@link #stage}'s wall time, which also counts the time the
     * thread waited for a core.
     */
    public void stageCpu(String name, long cpuNanos) {
        if (cpuNanos >= 0) {
            stagesCpu.computeIfAbsent(name, n -> Timer.builder("camserver.stage.cpu").tag("stage", n)
                    .description("CPU time of the working thread per pipeline stage").register(registry))
                    .record(cpuNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The CPU time stageCpu reports, if measured, else null. */
    public Timer stageCpuTimer(String name) {
        return stagesCpu.get(name);
    }

    /** The calling thread's CPU time in nanoseconds; -1 where this JVM cannot measure it. */
    public static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Records the time from a face's first frame arriving to its track's decision. */
    public void timeToDecision(long nanos) {
        toDecision.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        recentToDecision.add(nanos);
    }

    /** The most recent times to a decision (bounded), for benchmarks. */
    public LatencyWindow recentTimeToDecision() {
        return recentToDecision;
    }

    /** Faces tracked but not embedded, by reason (small, blurred, turned). */
    public Counter facesSkipped(String reason) {
        return skipped.computeIfAbsent(reason, r -> Counter.builder("camserver.faces.skipped").tag("reason", r)
                .description("faces tracked but not embedded: too small, blurred or turned").register(registry));
    }

    /** Registrations answered, by outcome: a burst of refusals is someone trying what they should not. */
    public Counter registrations(boolean accepted) {
        return Counter.builder("camserver.registrations").tag("result", accepted ? "accepted" : "refused")
                .description("camera registrations answered, by result").register(registry);
    }

    /** Records one frame's arrival-to-result latency. */
    public void frameLatency(long nanos) {
        latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        recent.add(nanos);
    }

    /** The most recent latencies (bounded), for benchmarks and the status API. */
    public LatencyWindow recentLatency() {
        return recent;
    }

    public <T> void cameraFunctionCounter(String camera, String name, String description, T obj, ToDoubleFunction<T> f) {
        track(camera, FunctionCounter.builder(name, obj, f).tags(Tags.of("camera", camera)).description(description).register(registry));
    }

    public <T> void cameraGauge(String camera, String name, String description, T obj, ToDoubleFunction<T> f) {
        track(camera, Gauge.builder(name, obj, f).tags(Tags.of("camera", camera)).description(description).register(registry));
    }

    public void gauge(String name, String description, Supplier<Number> f) {
        Gauge.builder(name, f).description(description).register(registry);
    }

    private void track(String camera, Meter m) {
        perCamera.computeIfAbsent(camera, k -> new ArrayList<>()).add(m);
    }

    public void removeCamera(String camera) {
        List<Meter> meters = perCamera.remove(camera);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
