package io.camserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flat, dotted settings ({@code ingest.readTimeout}) from, in increasing precedence: the
 * documented defaults, a YAML file, environment variables ({@code CAMSERVER_INGEST_READ_TIMEOUT})
 * and command-line options. Every key must be known: a misspelt key in a file is an error that
 * names it, not a setting silently ignored. Typed getters say which key and what was wrong.
 */
final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> source = new LinkedHashMap<>();
    private final List<Map<String, String>> cameraList = new ArrayList<>();
    private final List<Map<String, String>> webhookList = new ArrayList<>();

    Settings(Map<String, String> defaults) {
        this.defaults = Map.copyOf(defaults);
        values.putAll(defaults);
        defaults.keySet().forEach(k -> source.put(k, "default"));
    }

    /** The environment variable for a key: camelCase becomes UPPER_SNAKE. */
    static String envName(String key) {
        StringBuilder sb = new StringBuilder("CAMSERVER_");
        for (char c : key.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    void loadYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UsageException("config file " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw new UsageException("config file " + file + ": top level must be a mapping of sections");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            if (section.getKey().equals("cameras")) {
                readCameras(file, section.getValue());
                continue;
            }
            if (section.getKey().equals("webhooks")) {
                readList(file, "webhooks", section.getValue(), List.of("url", "events", "secret", "secretFile", "maxAge"), webhookList);
                continue;
            }
            if (!section.getValue().isObject()) {
                throw new UsageException("config file " + file + ": '" + section.getKey() + "' must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = section.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> e = f.next();
                String key = section.getKey() + "." + e.getKey();
                JsonNode v = e.getValue();
                String text = v.isArray() ? joinArray(v) : v.isNull() ? "" : v.asText();
                set(key, text, file.toString());
            }
        }
    }

    private void readCameras(Path file, JsonNode list) {
        readList(file, "cameras", list, List.of("id", "url", "kind", "interval", "transport", "fps", "insecure", "auth"), cameraList);
        StringBuilder shown = new StringBuilder();
        for (Map<String, String> c : cameraList) {
            shown.append(shown.isEmpty() ? "" : " ").append(c.get("id")).append('=')
                    .append("snapshot".equals(c.get("kind")) ? "snapshot:" : "").append(c.get("url"));
        }
        set("cameras", shown.toString(), file.toString());
    }

    /** A list of flat mappings (cameras, webhooks); a list value becomes comma-separated text. */
    private static void readList(Path file, String name, JsonNode list, List<String> keys, List<Map<String, String>> into) {
        if (!list.isArray()) {
            throw new UsageException("config file " + file + ": '" + name + "' must be a list");
        }
        for (JsonNode c : list) {
            if (!c.isObject()) {
                throw new UsageException("config file " + file + ": each of '" + name + "' must be a mapping");
            }
            Map<String, String> m = new LinkedHashMap<>();
            c.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isArray() ? joinArray(e.getValue()) : e.getValue().asText()));
            for (String k : m.keySet()) {
                if (!keys.contains(k)) {
                    throw new UsageException("config file " + file + ": " + name + " setting '" + k + "' is unknown (" + String.join(", ", keys) + ")");
                }
            }
            into.add(m);
        }
    }

    List<Map<String, String>> webhooks() {
        return webhookList;
    }

    private static String joinArray(JsonNode v) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
    }

    /** Variables of earlier versions, now keys of their own: refused with the new name rather than silently ignored. */
    private static final Map<String, String> RENAMED = Map.of("CAMSERVER_MODELS", "models.dir", "CAMSERVER_DETECTOR", "detector.kind",
            "CAMSERVER_EMBEDDER", "embedder.kind");

    /**
     * Keys renamed so that one word means one thing ("replicas" for scale-out, "visitors" for
     * groups of unknown faces) or one setting serves the whole server (server.trustedProxies,
     * for registration and the login throttle alike): the old name, in a file, the environment or an option, is refused
     * with the new one, never silently ignored.
     */
    static final Map<String, String> RENAMED_KEYS = Map.of(
            "cluster.enabled", "replicas.enabled", "cluster.name", "replicas.name", "cluster.heartbeat", "replicas.heartbeat",
            "cluster.deadAfter", "replicas.deadAfter", "cluster.secret", "replicas.secret", "cluster.secretFile", "replicas.secretFile",
            "cluster.advertiseUrl", "replicas.advertiseUrl", "clusters.threshold", "visitors.threshold",
            "registration.trustedProxies", "server.trustedProxies");

    void loadEnv(Map<String, String> env) {
        for (var r : RENAMED.entrySet()) {
            if (env.containsKey(r.getKey()) && !env.containsKey(envName(r.getValue()))) {
                throw new UsageException(r.getKey() + " is not read any more: set " + envName(r.getValue()) + " (" + r.getValue() + ")");
            }
        }
        for (var r : new java.util.TreeMap<>(RENAMED_KEYS).entrySet()) {
            if (env.containsKey(envName(r.getKey()))) {
                throw new UsageException(envName(r.getKey()) + " was renamed: set " + envName(r.getValue()) + " (" + r.getValue() + ")");
            }
        }
        for (String key : defaults.keySet()) {
            if (key.equals("cameras") || key.equals("config")) {
                continue; // read below, and by whoever loads the file
            }
            String v = env.get(envName(key));
            if (v != null) {
                set(key, v, "environment " + envName(key));
            }
        }
        String cams = env.get("CAMSERVER_CAMERAS");
        if (cams != null && !cams.isBlank()) {
            set("cameras", cams.trim(), "environment CAMSERVER_CAMERAS");
            cameraList.clear();
            for (String entry : cams.trim().split("[,\\s]+")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("CAMSERVER_CAMERAS entries must be id=URL or id=snapshot:URL (was '" + entry + "')");
                }
                Map<String, String> m = new LinkedHashMap<>();
                m.put("id", entry.substring(0, eq));
                String url = entry.substring(eq + 1);
                if (url.startsWith("snapshot:")) {
                    m.put("kind", "snapshot");
                    url = url.substring("snapshot:".length());
                }
                m.put("url", url);
                cameraList.add(m);
            }
        }
    }

    /** Whether a key still has its default (nothing set it: not the file, the environment or an option). */
    boolean isDefault(String key) {
        return "default".equals(source.get(key));
    }

    /** Applies {@code log.level} to the logs (logback's root logger). */
    void applyLogLevel() {
        String level = string("log.level").toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            throw bad("log.level", "one of TRACE, DEBUG, INFO, WARN, ERROR");
        }
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root
                && !isDefault("log.level")) {
            root.setLevel(ch.qos.logback.classic.Level.valueOf(level));
        }
    }

    void set(String key, String value, String from) {
        if (RENAMED_KEYS.containsKey(key)) {
            throw new UsageException("setting '" + key + "' was renamed: use '" + RENAMED_KEYS.get(key) + "' (from " + from + ")");
        }
        if (!defaults.containsKey(key)) {
            throw new UsageException("unknown setting '" + key + "' (from " + from + ")");
        }
        values.put(key, value);
        source.put(key, from);
    }

    List<Map<String, String>> cameras() {
        return cameraList;
    }

    String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("setting " + key + " has no default");
        }
        return v.trim();
    }

    Optional<String> optional(String key) {
        String v = string(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw bad(key, "a whole number");
        }
    }

    float number(String key) {
        try {
            return Float.parseFloat(string(key));
        } catch (NumberFormatException e) {
            throw bad(key, "a number");
        }
    }

    boolean bool(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, "true or false");
        };
    }

    Duration duration(String key) {
        return parseDuration(string(key)).orElseThrow(() -> bad(key, "a duration like 500ms, 5s, 2m or 1h"));
    }

    static Optional<Duration> parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    List<String> list(String key) {
        String v = string(key);
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    private UsageException bad(String key, String what) {
        return new UsageException(key + " must be " + what + " (was '" + values.get(key) + "' from " + source.get(key) + ")");
    }

    /**
     * Every key with its value and where it came from, for {@code serve --print-config}. Secrets
     * are shown only as set or not: the output ends up in terminals, tickets and CI logs.
     */
    Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : values.keySet()) {
            String v = values.get(k);
            // A value that holds a URL (cameras, mqtt.url, storage.url) can carry a password too.
            String shown = isSecret(k) && !v.isEmpty() ? "***" : io.camserver.ingest.stream.Urls.maskedText(v);
            out.put(k, shown + "  (" + source.get(k) + ", env " + envName(k) + ")");
        }
        return out;
    }

    /** Keys whose value is a credential: a password, a key, a secret or a token (not a file naming one). */
    static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return last.endsWith("password") || last.equals("key") || last.endsWith("secret") || last.endsWith("token");
    }

    /** A secret from a file (a mounted Kubernetes Secret), without its trailing line break. */
    static String secretFile(String what, String file) {
        try {
            return java.nio.file.Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new UsageException(what + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
