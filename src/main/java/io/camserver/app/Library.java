package io.camserver.app;

import io.camserver.gallery.GalleryService;
import io.camserver.store.Database;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.FolderImport;
import io.camserver.gallery.LiveGallery;
import io.camserver.image.ImageDecoder;
import io.camserver.vision.DetectorConfig;
import io.camserver.vision.FaceAnalyzer;
import io.camserver.vision.opencv.VisionModels;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The people, their samples and the history, in the database, and the gallery cameras match
 * against. Photos are enrolled with both BlazeFace models and the flip pass (quality over
 * speed); cameras match against the live snapshot.
 */
record Library(PeopleStore people, EventStore history, FaceAnalyzer stillAnalyzer, LiveGallery gallery, GalleryService service) {
    static Library open(ServerConfig cfg, Database db, Vision vision, Consumer<String> say) {
        PeopleStore people = new PeopleStore(db);
        EventStore history = new EventStore(db);
        VisionModels still = vision.live().withDetector(vision.store(), DetectorConfig.stillDefaults());
        FaceAnalyzer stillAnalyzer = new FaceAnalyzer(still.newDetector(), still.aligner(), still.newEmbedder(true));
        LiveGallery gallery = new LiveGallery(EmbeddingIndex.builder(vision.live().embedderModelId(), cfg.vision().match()).build());
        GalleryService service = new GalleryService(people, history, new io.camserver.store.NegativeStore(db), stillAnalyzer, gallery,
                cfg.vision().match(),
                new ImageDecoder(cfg.uploads()));
        int reembedded = service.reembedStale();
        if (reembedded > 0) {
            say.accept("gallery: re-embedded " + reembedded + " samples with " + vision.live().embedderModelId());
        }
        if (cfg.server().galleryDir().isPresent() && people.list().isEmpty()) {
            // Seeding only: once people exist in the database, the folder is not read again
            // (it would duplicate every sample at each start).
            try {
                FolderImport.Report r = service.importFolder(cfg.server().galleryDir().get());
                r.rejected().forEach(x -> say.accept("gallery: " + x.file() + ": skipped: " + x.reason()));
                say.accept("gallery: " + r.enrolled().size() + " samples of " + r.people() + " people from " + cfg.server().galleryDir().get());
            } catch (IOException e) {
                throw new UsageException("gallery.dir: " + e.getMessage());
            }
        }
        service.rebuild();
        return new Library(people, history, stillAnalyzer, gallery, service);
    }
}
