package io.camserver.web;

import io.camserver.gallery.GalleryService;
import io.camserver.store.EventStore;
import java.time.Duration;
import java.util.Objects;

/**
 * What the people, history (sightings) and visitors API talks to.
 *
 * @param uploadMaxBytes largest accepted upload, bytes (413 above it)
 * @param retentionAge   events older than this are deleted (shown in the UI and API)
 * @param retentionBytes events beyond this total size are deleted, oldest first
 * @param dataLeavesTo   where names and faces go beyond this device (a remote database, MQTT, webhooks)
 * @param importRoots    the only folders {@code POST /api/people/import} may read: gallery.dir and the data directory
 * @param faceSearch     search by face over the stored history
 * @param searchMin      the least similarity a search shows by default (somewhat under match.threshold)
 * @param visitGap       sightings closer than this (one person, one camera) are one visit
 */
public record PeopleServices(GalleryService gallery, EventStore history, Auth auth, long uploadMaxBytes,
                             Duration retentionAge, long retentionBytes, java.util.function.Supplier<java.util.List<String>> dataLeavesTo,
                             io.camserver.ingest.CameraNames names, java.util.List<java.nio.file.Path> importRoots,
                             io.camserver.history.FaceSearch faceSearch, float searchMin, Duration visitGap) {
    public PeopleServices {
        Objects.requireNonNull(gallery, "gallery");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(dataLeavesTo, "dataLeavesTo");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(faceSearch, "faceSearch");
        importRoots = java.util.List.copyOf(importRoots);
    }
}
