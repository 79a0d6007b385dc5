package io.camserver.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned-model cache, with the real npm CLI against the real package registry. */
class ModelStoreTest {

    @Test
    void fetchesVerifiesAndInstallsAPinnedPackageWithNpm(@TempDir Path tmp) throws Exception {
        List<String> progress = new ArrayList<>();
        ModelStore store = new ModelStore(tmp, true, progress::add);
        Path p = store.require(ModelCatalog.BLAZEFACE_SHORT);
        assertEquals(tmp.resolve("@mediapipe+face_detection@0.4.1657300184/face_detection_short_range.tflite"), p);
        assertEquals(229032, Files.size(p));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                "a shared cache is readable by every user (e.g. an image built as root, run as 10001)");
        assertTrue(Files.exists(store.location(ModelCatalog.BLAZEFACE_FULL)), "the whole package is installed at once");
        assertEquals(1, progress.size(), progress.toString());
        assertTrue(progress.get(0).startsWith("fetching @mediapipe/face_detection@0.4.1657300184 (Apache-2.0) with npm"));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of("@mediapipe+face_detection@0.4.1657300184"),
                    left.map(x -> x.getFileName().toString()).toList(), "no temp folders left behind");
        }
        // second store on the same cache: no fetch
        List<String> again = new ArrayList<>();
        new ModelStore(tmp, true, again::add).require(ModelCatalog.BLAZEFACE_FULL);
        assertEquals(List.of(), again);
    }

    @Test
    void aFileWithTheWrongHashIsAnErrorNotAWarning(@TempDir Path tmp) throws Exception {
        ModelStore store = new ModelStore(tmp, true, m -> { });
        Path where = store.location(ModelCatalog.FR_FEATURE);
        Files.createDirectories(where.getParent());
        Files.writeString(where, "tampered");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> store.require(ModelCatalog.FR_FEATURE));
        assertTrue(e.getMessage().contains("has SHA-256 ") && e.getMessage().contains("but the pinned hash is "
                + ModelCatalog.FR_FEATURE.sha256()), e.getMessage());
        assertEquals("tampered", Files.readString(where), "a user's file is never overwritten");
    }

    @Test
    void withoutFetchingAMissingModelSaysWhatToRun(@TempDir Path tmp) {
        ModelStore store = new ModelStore(tmp, false, m -> { });
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> store.require(ModelCatalog.BLAZEFACE_FULL));
        assertTrue(e.getMessage().contains("run `./camserver models`"), e.getMessage());
        assertTrue(e.getMessage().contains(store.location(ModelCatalog.BLAZEFACE_FULL).toString()), e.getMessage());
    }

    @Test
    void aTarballThatDoesNotMatchThePinnedIntegrityIsRefused(@TempDir Path tmp) {
        ModelPackage forged = new ModelPackage("@mediapipe/face_detection", "0.4.1657300184",
                "sha512-" + "A".repeat(86) + "==", "Apache-2.0",
                List.of(new ModelFile("forged", "face_detection_short_range.tflite", ModelCatalog.BLAZEFACE_SHORT.sha256())));
        ModelStore store = new ModelStore(tmp, true, m -> { });
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> store.ensure(forged));
        assertTrue(e.getMessage().contains("tarball integrity is sha512-k5aYtTf7") && e.getMessage().endsWith("refusing to use it"),
                e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("@mediapipe+face_detection@0.4.1657300184")), "nothing installed");
    }

    @Test
    void aVersionNpmDoesNotHaveFailsWithNpmsReason(@TempDir Path tmp) {
        ModelPackage missing = new ModelPackage("@mediapipe/face_detection", "0.0.0-does-not-exist",
                "sha512-" + "A".repeat(86) + "==", "Apache-2.0", List.of(new ModelFile("x", "x.tflite", "0".repeat(64))));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> new ModelStore(tmp, true, m -> { }).ensure(missing));
        assertTrue(e.getMessage().startsWith("npm pack @mediapipe/face_detection@0.0.0-does-not-exist exited with"), e.getMessage());
    }
}
