package io.camserver.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No main source file grows past what a newcomer reads in one sitting: 400 lines; split it by what it does. */
class SourceSizeTest {
    @Test
    void noMainJavaFileIsOver400Lines() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> long_ = files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    int n = Files.readAllLines(f).size();
                    return n > 400 ? f + " (" + n + " lines)" : null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(java.util.Objects::nonNull).sorted().toList();
            assertEquals(List.of(), long_);
        }
    }
}
