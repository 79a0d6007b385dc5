package io.camserver.output;

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
 * interval and only while someone watches. Tiles come from its sources in order (this server's
 * cameras, then other replicas' relayed ones); each source hands over copies that are released
 * here.
 */
public final class MosaicComposer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MosaicComposer.class);

    private final Broadcaster output;
    private final List<Supplier<List<Mosaic.Tile>>> sources;
    private final Duration interval;
    private final int tileWidth;
    private final JpegEncoder encoder;
    private final Metrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    public MosaicComposer(Broadcaster output, List<Supplier<List<Mosaic.Tile>>> sources, Duration interval, int tileWidth,
                          int jpegQuality, Metrics metrics) {
        this.output = Objects.requireNonNull(output, "output");
        this.sources = List.copyOf(sources);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.tileWidth = tileWidth;
        this.encoder = new JpegEncoder(jpegQuality);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.gauge("camserver.mosaic.viewers", "viewers of /video_feed", output::viewers);
        this.thread = Thread.ofPlatform().name("mosaic").daemon(true).start(this::run);
    }

    private void run() {
        long every = interval.toNanos();
        while (running) {
            long start = System.nanoTime();
            if (output.wanted()) {
                compose();
                metrics.stage("mosaic").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            long sleep = every - (System.nanoTime() - start);
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
            Mat m = Mosaic.compose(tiles, tileWidth, tileWidth * 3 / 4);
            try {
                output.publish(encoder.encode(m));
            } finally {
                m.release();
            }
        } catch (RuntimeException e) {
            log.warn("mosaic failed", e);
        } finally {
            for (Mosaic.Tile t : tiles) {
                if (t.picture() != null) {
                    t.picture().release();
                }
            }
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
    }
}
