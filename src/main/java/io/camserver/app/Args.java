package io.camserver.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --name value}, {@code --name=value}, boolean {@code --flag}, and positionals; {@code --}
 * ends options. Every option a command reads is declared, so a misspelt one is an error rather
 * than silently ignored.
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positionals = new ArrayList<>();

    Args(List<String> argv, Set<String> valued, Set<String> booleans) {
        boolean optionsDone = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (optionsDone || !a.startsWith("--") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsDone = true;
                continue;
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (booleans.contains(name)) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            } else if (valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    v = argv.get(++i);
                }
                values.put(name, v);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> positionals() {
        return positionals;
    }

    static float parseFloat(String option, String v) {
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number (was " + v + ")");
        }
    }

    static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number (was " + v + ")");
        }
    }
}
