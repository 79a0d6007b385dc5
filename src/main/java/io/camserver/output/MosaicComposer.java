package io.camserver.output;

import io.camserver.image.JpegEncoder;

import io.camserver.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes {@code /video_feed}: every camera's latest annotated tile in one grid, encoded once per
 * interval and only while someone watches, and only when a cell changed (or a second passed).
 * Tiles come from its sources in order (this server's cameras, then other replicas' relayed
 * ones); a tile's picture is copied out only when its version moved.
 */
public final class MosaicComposer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MosaicComposer.class);

    private final Broadcaster output;
    private final List<Supplier<List<Mosaic.Tile>>> sources;
    private final Duration interval;
    private final JpegEncoder encoder;
    private final Metrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private static final long REPUBLISH_NANOS = 1_000_000_000L;
    /** The share of one core the mosaic may take. */
    static final double MAX_SHARE = 0.10;
    /** Confined to the composer's thread. */
    private final Mosaic mosaic;
    private long lastPublishedNanos;

    public MosaicComposer(Broadcaster output, List<Supplier<List<Mosaic.Tile>>> sources, Duration interval, int tileWidth,
                          int jpegQuality, Metrics metrics) {
        this.output = Objects.requireNonNull(output, "output");
        this.sources = List.copyOf(sources);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.encoder = new JpegEncoder(jpegQuality);
        this.mosaic = new Mosaic(tileWidth, tileWidth * 3 / 4);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.gauge("camserver.mosaic.viewers", "viewers of /video_feed", output::viewers);
        this.thread = Thread.ofPlatform().name("mosaic").daemon(true).start(this::run);
    }

    private void run() {
        long every = interval.toNanos();
        while (running) {
            long start = System.nanoTime();
            long busy = 0;
            if (output.wanted()) {
                long cpu0 = Metrics.threadCpuNanos();
                compose();
                long cpu = Metrics.threadCpuNanos() - cpu0;
                long wall = System.nanoTime() - start;
                // CPU time where the JVM measures it (waiting for a core costs nothing), else wall time.
                busy = cpu0 >= 0 ? cpu : wall;
                metrics.stage("mosaic").record(wall, TimeUnit.NANOSECONDS);
                metrics.stageCpu("mosaic", cpu);
            }
            // The picture comes at output.mosaicFps, or slower when composing it would take more
            // than a tenth of a core: watching must not take the cores recognition needs.
            long sleep = Math.max(every, (long) (busy / MAX_SHARE)) - (System.nanoTime() - start);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void compose() {
        List<Mosaic.Tile> tiles = new ArrayList<>();
        try {
            for (Supplier<List<Mosaic.Tile>> s : sources) {
                tiles.addAll(s.get());
            }
            long now = System.nanoTime();
            // An unchanged grid is not encoded again, except now and then so that a viewer
            // behind a proxy with an idle timeout keeps getting frames.
            if (mosaic.update(tiles) > 0 || now - lastPublishedNanos > REPUBLISH_NANOS) {
                long e0 = System.nanoTime();
                output.publish(encoder.encode(mosaic.canvas()));
                metrics.stage("mosaic.encode").record(System.nanoTime() - e0, TimeUnit.NANOSECONDS);
                lastPublishedNanos = now;
            }
        } catch (RuntimeException e) {
            log.warn("mosaic failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.close();
        if (!thread.isAlive()) {
            mosaic.close();
        }
    }
}
