package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One configuration, documented once: every key has a meaning, docs/configuration.md's reference is the
 * generated one, and every CAMSERVER_ variable the README and docs/ name is a setting's (or one of the
 * few that stand apart), so a user never sets a variable that nothing reads.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class ConfigReferenceTest {
    static final Set<String> APART = Set.of("CAMSERVER_JAVA_OPTS", "CAMSERVER_ADMIN_PASSWORD", "CAMSERVER_ADMIN_PASSWORD_FILE");

    @Test
    void everyKeyIsDocumentedAndTheReadmeHoldsTheGeneratedReference() throws Exception {
        Map<String, String> defaults = ServerConfig.defaults(Map.of("HOME", "/home/user"));
        assertEquals(new TreeSet<>(defaults.keySet()), new TreeSet<>(ConfigReference.KEYS.keySet()), "keys and their meanings");
        String readme = Files.readString(Path.of("docs/configuration.md"));
        String start = "<!-- config-reference:start -->\n";
        String end = "<!-- config-reference:end -->";
        String published = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertEquals(ConfigReference.markdown(defaults), published,
                "docs/configuration.md's reference is stale: paste `./camserver serve --config-reference` between its markers");
    }

    @Test
    void everyVariableTheReadmeNamesIsASettings() throws Exception {
        Set<String> known = new TreeSet<>(APART);
        ServerConfig.defaults(Map.of()).keySet().forEach(k -> known.add(Settings.envName(k)));
        StringBuilder docs = new StringBuilder(Files.readString(Path.of("README.md")));
        try (var files = Files.list(Path.of("docs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                docs.append(Files.readString(f));
            }
        }
        Matcher m = Pattern.compile("CAMSERVER_[A-Z0-9_]*[A-Z0-9]").matcher(docs);
        Set<String> unknown = new TreeSet<>();
        while (m.find()) {
            if (!known.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        assertEquals(Set.of(), unknown, "variables the README or docs/ name that no setting reads");
        assertTrue(known.contains("CAMSERVER_CAMERAS") && known.contains("CAMSERVER_LOG_LEVEL") && known.contains("CAMSERVER_STORAGE_PASSWORD_FILE"));
    }
}
