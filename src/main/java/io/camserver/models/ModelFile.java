package io.camserver.models;

import java.util.Objects;

/**
 * One file inside a pinned npm package, identified by its path in the package and its SHA-256.
 *
 * @param key    short stable name used in config and messages (e.g. {@code blazeface-full})
 * @param path   path inside the package tarball, without the leading {@code package/}
 * @param sha256 lowercase hex SHA-256 of the file's bytes
 */
public record ModelFile(String key, String path, String sha256) {
    public ModelFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(path, "path");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("model file " + key + ": sha256 must be 64 lowercase hex digits (was " + sha256 + ")");
        }
    }
}
