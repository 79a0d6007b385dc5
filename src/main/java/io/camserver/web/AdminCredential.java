package io.camserver.web;

import io.camserver.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The admin password, held only as a salted PBKDF2 hash. Source, in order: the environment
 * variable {@code CAMSERVER_ADMIN_PASSWORD}; a file named by {@code CAMSERVER_ADMIN_PASSWORD_FILE}
 * (a mounted Kubernetes Secret); else a hash stored in the data directory; else, on the very
 * first run, a random password is generated, printed once, and only its hash is stored. There is
 * no default password.
 */
public final class AdminCredential {
    private static final int ITERATIONS = 210_000;
    private static final String STORE = "admin-password.pbkdf2";

    private final byte[] salt;
    private final byte[] hash;
    private final String source;
    /** The password differs from the one the database last knew (sessions made with the old one must end). */
    private final boolean changed;
    private final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();

    private AdminCredential(byte[] salt, byte[] hash, String source, boolean changed) {
        this.salt = salt;
        this.hash = hash;
        this.source = source;
        this.changed = changed;
    }

    public static AdminCredential resolve(Map<String, String> env, Path dataDir, Consumer<String> say) {
        return resolve(env, dataDir, say, Optional.empty());
    }

    /**
     * As above; {@code previous} is the verifier the database holds ({@link #verifier}, or none):
     * when the password is not the one it verifies, {@link #changed} says so.
     */
    public static AdminCredential resolve(Map<String, String> env, Path dataDir, Consumer<String> say, Optional<String> previous) {
        String direct = env.get("CAMSERVER_ADMIN_PASSWORD");
        if (direct != null && !direct.isEmpty()) {
            return fromPassword(check(direct, "CAMSERVER_ADMIN_PASSWORD"), "environment CAMSERVER_ADMIN_PASSWORD", previous);
        }
        String file = env.get("CAMSERVER_ADMIN_PASSWORD_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                String pw = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                return fromPassword(check(pw, "CAMSERVER_ADMIN_PASSWORD_FILE " + file), "file " + file, previous);
            } catch (IOException e) {
                throw new IllegalArgumentException("CAMSERVER_ADMIN_PASSWORD_FILE " + file + " cannot be read ("
                        + (e instanceof java.nio.file.AccessDeniedException ? "permission denied for user " + System.getProperty("user.name")
                        : e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()) + ")");
            }
        }
        Path stored = dataDir.resolve(STORE);
        try {
            if (Files.exists(stored)) {
                String[] parts = Files.readString(stored).strip().split(":");
                if (parts.length != 2) {
                    throw new IllegalArgumentException(stored + " is not a camserver password hash; delete it to generate a new password");
                }
                String verifier = parts[0] + ":" + parts[1];
                return new AdminCredential(Base64.getDecoder().decode(parts[0]), Base64.getDecoder().decode(parts[1]), "hash in " + stored,
                        previous.map(v -> !v.equals(verifier)).orElse(false));
            }
            byte[] raw = new byte[15];
            new SecureRandom().nextBytes(raw);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            AdminCredential c = fromPassword(generated, "generated, hash in " + stored, previous);
            PrivateFiles.directory(dataDir);
            PrivateFiles.file(stored); // owner-only from its first byte
            Files.writeString(stored, Base64.getEncoder().encodeToString(c.salt) + ":" + Base64.getEncoder().encodeToString(c.hash) + "\n",
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            say.accept("generated admin password (shown once; set CAMSERVER_ADMIN_PASSWORD to choose your own): " + generated);
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("admin password store " + stored + ": " + e.getMessage());
        }
    }

    private static String check(String pw, String where) {
        if (pw.length() < 8) {
            throw new IllegalArgumentException(where + ": the admin password must be at least 8 characters (was " + pw.length() + ")");
        }
        return pw;
    }

    static AdminCredential fromPassword(String password, String source) {
        return fromPassword(password, source, Optional.empty());
    }

    /** Reuses {@code previous}'s salt and hash when they verify this password; else a new salt, and changed when there was one. */
    private static AdminCredential fromPassword(String password, String source, Optional<String> previous) {
        if (previous.isPresent()) {
            String[] parts = previous.get().split(":");
            if (parts.length == 2) {
                byte[] oldSalt = Base64.getDecoder().decode(parts[0]);
                byte[] oldHash = Base64.getDecoder().decode(parts[1]);
                if (java.security.MessageDigest.isEqual(derive(password, oldSalt), oldHash)) {
                    return new AdminCredential(oldSalt, oldHash, source, false);
                }
            }
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new AdminCredential(salt, derive(password, salt), source, previous.isPresent());
    }

    /** What the database keeps to tell a later start whether the password changed: salt and PBKDF2 hash, never the password. */
    public String verifier() {
        return Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(hash);
    }

    /** The password is not the one the database last knew: every session made before must end. */
    public boolean changed() {
        return changed;
    }

    /** Whether camserver made this password (at first start; later starts find its hash) rather than the environment or a file. */
    public boolean generated() {
        return source.startsWith("generated") || source.startsWith("hash in");
    }

    public String source() {
        return source;
    }

    /** Constant-time check of a presented password. */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        checks.incrementAndGet();
        return MessageDigest.isEqual(hash, derive(password, salt));
    }

    /** Password checks (PBKDF2 runs, about 0.1 s of CPU each) since start. */
    public long checks() {
        return checks.get();
    }

    private static byte[] derive(String password, byte[] salt) {
        try {
            KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java runtime", e);
        }
    }

    static Optional<String> basicPassword(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0 || !decoded.substring(0, colon).equals("admin")) {
                return Optional.empty();
            }
            return Optional.of(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
