package io.camserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Command lines as the commands read them: values both ways, flags, positionals, "--", and each mistake in words. */
class ArgsTest {
    private static Args parse(String... argv) {
        return new Args(List.of(argv), Set.of("gallery", "port"), Set.of("no-flip"));
    }

    @Test
    void valuesFlagsAndPositionals() {
        Args a = parse("--gallery", "g", "--port=5050", "a.jpg", "--no-flip", "--", "--not-an-option.jpg");
        assertEquals(Optional.of("g"), a.value("gallery"));
        assertEquals(Optional.of("5050"), a.value("port"));
        assertTrue(a.flag("no-flip"));
        assertEquals(List.of("a.jpg", "--not-an-option.jpg"), a.positionals());
        Args none = parse();
        assertEquals(Optional.empty(), none.value("gallery"));
        assertFalse(none.flag("no-flip"));
        assertEquals(List.of(), none.positionals());
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("unknown option --galery", assertThrows(UsageException.class, () -> parse("--galery", "g")).getMessage());
        assertEquals("unknown option --galery", assertThrows(UsageException.class, () -> parse("--galery=g")).getMessage());
        assertEquals("--port needs a value", assertThrows(UsageException.class, () -> parse("--port")).getMessage());
        assertEquals("--port must be a whole number (was five)", assertThrows(UsageException.class, () -> Args.parseInt("--port", "five")).getMessage());
    }
}
