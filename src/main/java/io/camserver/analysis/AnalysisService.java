package io.camserver.analysis;

import io.camserver.live.Dispatcher;
import io.camserver.gallery.Gallery;
import io.camserver.image.ImageDecoder;
import io.camserver.ingest.Camera;
import io.camserver.ingest.CameraRegistry;
import io.camserver.ingest.Frame;
import io.camserver.metrics.Metrics;
import io.camserver.output.Broadcaster;
import io.camserver.image.JpegEncoder;
import io.camserver.output.Mosaic;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The analysis workers, publishing what they decide to the {@link Dispatcher}, and each camera's
 * annotated stream and tile. Frames never queue here: a camera's newest frame waits in
 * its slot, and the camera itself is queued at most once (its {@code scheduled} flag), so the
 * ready queue is bounded by the number of cameras and a worker always takes the newest picture.
 *
 * <p>Workers are platform threads, one per core by default: inference is CPU-bound native code
 * and gains nothing from more threads. Each worker owns its detector and embedder.
 */
public final class AnalysisService implements CameraRegistry.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnalysisService.class);

    private final VisionModels models;
    private final Gallery gallery;
    private final AnalysisConfig config;
    private final ImageDecoder decoder;
    private final JpegEncoder encoder;
    private final Dispatcher dispatcher;
    private final Metrics metrics;
    private final java.util.function.BooleanSupplier mosaicWatched;
    private final Map<String, CameraPipeline> pipelines = new ConcurrentHashMap<>();
    private final ReadyQueue<CameraPipeline> ready = new ReadyQueue<>(p -> p.hadFaces);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    /** When a page last asked for a camera's tile (the Live page's tiles); tiles are kept fresh 10 s after. */
    private volatile long tileAskedNanos = Long.MIN_VALUE / 2;
    private final JpegEncoder tileEncoder = new JpegEncoder(75);

    /**
     * @param mosaicWatched whether anyone watches the mosaic: then, or while a page polls the tiles
     *                      ({@link #tileJpeg}, 10 s after its last ask), each analysed frame also
     *                      refreshes its camera's tile; otherwise tiles cost nothing
     */
    public AnalysisService(VisionModels models, Gallery gallery, AnalysisConfig config, ImageDecoder decoder, Dispatcher dispatcher,
                           Metrics metrics, java.util.function.BooleanSupplier mosaicWatched) {
        this.models = Objects.requireNonNull(models, "models");
        this.gallery = Objects.requireNonNull(gallery, "gallery");
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.encoder = new JpegEncoder(config.jpegQuality());
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.mosaicWatched = Objects.requireNonNull(mosaicWatched, "mosaicWatched");
        metrics.gauge("camserver.analysis.ready", "cameras waiting for a worker", ready::size);
    }

    /** Starts the workers; each loads its own networks first, so a model error fails the start. */
    public synchronized void start() {
        running = true;
        List<FaceAnalyzer> analyzers = new ArrayList<>();
        for (int i = 0; i < config.workers(); i++) {
            // Live frames: no flip pass (half the embedding cost; same vector space as the gallery).
            analyzers.add(new FaceAnalyzer(models.newDetector(), models.aligner(), models.newEmbedder(false)));
        }
        for (int i = 0; i < analyzers.size(); i++) {
            FaceAnalyzer a = analyzers.get(i);
            workers.add(Thread.ofPlatform().name("analysis-" + i).daemon(true).start(() -> work(a)));
        }
    }

    /** The newest raw frame of a camera (for enrolling from a live frame), if any arrived. */
    public Optional<byte[]> latestFrame(String cameraId) {
        CameraPipeline p = pipelines.get(cameraId);
        return p == null ? Optional.empty() : Optional.ofNullable(p.latestJpeg());
    }

    /** This server's cameras' tiles, sorted by camera id, captioned; a picture is copied only when asked. */
    public List<Mosaic.Tile> tiles(Function<String, String> caption) {
        List<CameraPipeline> cams = new ArrayList<>(pipelines.values());
        cams.sort(Comparator.comparing(p -> p.camera.id()));
        List<Mosaic.Tile> tiles = new ArrayList<>(cams.size());
        for (CameraPipeline p : cams) {
            tiles.add(new Mosaic.Tile(p.camera.id(), caption.apply(p.camera.id()), p.tileVersion(), p::copyTile));
        }
        return tiles;
    }

    private boolean tileViewers() {
        return System.nanoTime() - tileAskedNanos < 10_000_000_000L;
    }

    /**
     * A camera's tile (its latest analysed frame, annotated, at most 640 px wide) as a JPEG, for
     * the Live page's grid, which polls it: one encode per request, and the tiles are refreshed
     * only while some page asks for them. Empty until the camera's first frame after the asking.
     */
    public Optional<byte[]> tileJpeg(String cameraId) {
        tileAskedNanos = System.nanoTime();
        CameraPipeline p = pipelines.get(cameraId);
        if (p == null) {
            return Optional.empty();
        }
        org.opencv.core.Mat tile = p.copyTile();
        if (tile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(tileEncoder.encode(tile));
        } finally {
            tile.release();
        }
    }

    public Optional<Broadcaster> output(String cameraId) {
        return Optional.ofNullable(pipelines.get(cameraId)).map(p -> p.output);
    }

    /** Analysis counters for the API. */
    public record CameraStats(long analysed, long still, long decodeErrors, String lastDecodeError) {
    }

    public Optional<CameraStats> stats(String cameraId) {
        return Optional.ofNullable(pipelines.get(cameraId)).map(p -> new CameraStats(p.analysed(), p.stillFrames(), p.decodeErrors(), p.lastDecodeError()));
    }

    @Override
    public void added(Camera camera) {
        pipelines.put(camera.id(), new CameraPipeline(camera, config, dispatcher, metrics));
    }

    @Override
    public void frameArrived(Camera camera, Frame frame) {
        CameraPipeline p = pipelines.get(camera.id());
        if (p != null && p.scheduled.compareAndSet(false, true)) {
            ready.offer(p);
        }
    }

    @Override
    public void removed(Camera camera) {
        CameraPipeline p = pipelines.remove(camera.id());
        if (p != null) {
            p.close();
        }
    }

    private void work(FaceAnalyzer analyzer) {
        try (analyzer) {
            while (running) {
                CameraPipeline p = ready.poll(200, TimeUnit.MILLISECONDS);
                if (p == null) {
                    continue;
                }
                Frame f = p.camera.slot().take();
                try {
                    if (f != null) {
                        MDC.put("camera", p.camera.id());
                        p.process(f, analyzer, gallery, decoder, encoder, mosaicWatched.getAsBoolean() || tileViewers());
                    }
                } catch (RuntimeException e) {
                    log.warn("analysis of camera {} frame {} failed", p.camera.id(), f == null ? -1 : f.seq(), e);
                } finally {
                    MDC.remove("camera");
                    p.scheduled.set(false);
                    // A frame that arrived while we worked found the flag set and did not queue
                    // the camera; queue it now so it is not stranded.
                    if (p.camera.slot().hasFrame() && p.scheduled.compareAndSet(false, true)) {
                        ready.offer(p);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the workers (each finishes its current frame) and closes every stream. */
    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(3000);
                if (t.isAlive()) {
                    log.warn("thread {} did not stop within 3 s", t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pipelines.values().forEach(CameraPipeline::close);
        pipelines.clear();
    }
}
