package io.camserver.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every setting means ({@code config-reference.txt}), in the order docs/configuration.md lists them. The
 * reference is generated from this and the defaults ({@code camserver serve --config-reference});
 * a test keeps docs/configuration.md's copy, this list and the defaults from drifting apart.
 */
final class ConfigReference {
    private ConfigReference() {
    }

    /** A key's meaning, and how its default is shown where it depends on the machine. */
    record Entry(String meaning, String shownDefault) {
    }

    static final Map<String, Entry> KEYS = new LinkedHashMap<>();

    static {
        try (var in = ConfigReference.class.getResourceAsStream("/config-reference.txt")) {
            if (in == null) {
                throw new IllegalStateException("the configuration reference (config-reference.txt) is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" \\| ", -1);
                KEYS.put(f[0].trim(), new Entry(f[1].trim(), f.length > 2 ? f[2].trim() : null));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the configuration reference (config-reference.txt) cannot be read", e);
        }
    }

    /** docs/configuration.md's table: key, default, environment variable, meaning. */
    static String markdown(Map<String, String> defaults) {
        StringBuilder sb = new StringBuilder("| key | default | environment | meaning |\n|---|---|---|---|\n");
        for (Map.Entry<String, Entry> e : KEYS.entrySet()) {
            String key = e.getKey();
            String def = e.getValue().shownDefault() != null ? e.getValue().shownDefault()
                    : defaults.get(key).isEmpty() ? "" : "`" + defaults.get(key) + "`";
            sb.append("| `").append(key).append("` | ").append(def).append(" | `").append(Settings.envName(key)).append("` | ")
                    .append(e.getValue().meaning()).append(" |\n");
        }
        return sb.toString();
    }
}
