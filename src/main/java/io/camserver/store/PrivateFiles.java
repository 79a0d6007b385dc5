package io.camserver.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds faces and the admin password's hash: only camserver's user may read
 * it. New folders are created 0700 and new files 0600 atomically (not created, then narrowed,
 * which leaves a window). Existing ones are left as they are: a mounted volume's owner and group
 * are the platform's choice (Kubernetes' fsGroup), not ours to undo.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the folder (and missing parents) owner-only if it does not exist. */
    public static Path directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, attrs(DIR));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        return dir;
    }

    /** Creates an empty owner-only file if none exists; an existing file is kept. */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, attrs(FILE));
        } catch (FileAlreadyExistsException e) {
            // kept as it is
        }
        return file;
    }

    private static FileAttribute<?>[] attrs(Set<PosixFilePermission> perms) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }
}
