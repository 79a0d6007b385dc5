package io.camserver.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Loads and validates a config file exactly as {@code serve} would, without starting anything. */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /** Throws with the offending key and value if the file would not start a server. */
    public static void load(Path file) {
        load(file, Map.of());
    }

    /** As above, with the environment a deployment gives it (CAMSERVER_* variables, secrets' files). */
    public static void load(Path file, Map<String, String> env) {
        ServerConfig.from(ServeCommand.settings(ServeCommand.parse(List.of("--config", file.toString())), env));
    }
}
