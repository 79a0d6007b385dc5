package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web UI stays a set of small ES modules a newcomer can read: every file in web/ui is served
 * (and nothing else), none is over 400 lines, and every module it imports is one of them.
 */
class UiFilesTest {
    private static final Path UI = Path.of("src/main/resources/web/ui");

    @Test
    void everyUiFileIsServedAndNoneIsLong() throws Exception {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(UI)) {
            for (Path f : s.toList()) {
                files.add(f.getFileName().toString());
                long lines = Files.readAllLines(f).size();
                assertTrue(lines <= 400, f + " has " + lines + " lines; split it by page");
            }
        }
        assertEquals(files, new TreeSet<>(SystemResource.ASSETS.keySet()), "served files against web/ui");
    }

    @Test
    void modulesImportOnlyEachOther() throws Exception {
        Pattern from = Pattern.compile("^import .* from '\\./([\\w.]+)';", Pattern.MULTILINE);
        for (String name : SystemResource.ASSETS.keySet().stream().filter(n -> n.endsWith(".js")).toList()) {
            Matcher m = from.matcher(Files.readString(UI.resolve(name)));
            while (m.find()) {
                assertTrue(SystemResource.ASSETS.containsKey(m.group(1)), name + " imports " + m.group(1) + ", which is not served");
            }
        }
        String index = Files.readString(Path.of("src/main/resources/web/index.html"));
        assertTrue(index.contains("<script type=\"module\" src=\"/ui/main.js\"></script>"), "the page loads the entry module");
        assertEquals(List.of(), List.of(index.split("\n")).stream().filter(l -> l.contains("<script") && !l.contains("main.js")).toList(),
                "no other scripts");
    }
}
