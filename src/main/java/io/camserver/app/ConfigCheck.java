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
        ServerConfig.from(ServeCommand.settings(ServeCommand.parse(List.of("--config", file.toString())), Map.of()));
    }
}
