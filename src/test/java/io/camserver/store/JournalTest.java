package io.camserver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local journal: order, bounds, and what a crash or a restart leaves. */
class JournalTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsComeOutInTheOrderTheyWentInAlsoAfterAReopen(@TempDir Path tmp) throws Exception {
        Journal j = new Journal(tmp.resolve("j"), 100, 1 << 20);
        for (int i = 1; i <= 12; i++) { // past 9: order is numeric, not by file name
            assertTrue(j.append(b("r" + i)));
        }
        Journal.Entry first = j.first().orElseThrow();
        assertArrayEquals(b("r1"), first.data());
        j.remove(first);
        // A crash while writing the next leaves a temporary file: the next open removes it.
        Files.write(tmp.resolve("j").resolve("99.tmp"), b("half"));
        Journal again = new Journal(tmp.resolve("j"), 100, 1 << 20);
        assertEquals(11, again.size());
        for (int i = 2; i <= 12; i++) {
            Journal.Entry e = again.first().orElseThrow();
            assertArrayEquals(b("r" + i), e.data());
            again.remove(e);
        }
        assertTrue(again.isEmpty());
        assertFalse(Files.exists(tmp.resolve("j").resolve("99.tmp")));
        assertTrue(again.append(b("after")), "numbering goes on after a reopen");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("j"))));
    }

    @Test
    void aFullJournalRefusesAndCountsNeverGrowingPastItsBounds(@TempDir Path tmp) {
        Journal byCount = new Journal(tmp.resolve("c"), 2, 1 << 20);
        assertTrue(byCount.append(b("a")) && byCount.append(b("b")));
        assertFalse(byCount.append(b("c")));
        assertEquals(1, byCount.refused());
        Journal byBytes = new Journal(tmp.resolve("b"), 100, 10);
        assertTrue(byBytes.append(new byte[8]));
        assertFalse(byBytes.append(new byte[3]));
        assertEquals(8, byBytes.bytes());
        byBytes.remove(byBytes.first().orElseThrow());
        assertTrue(byBytes.append(new byte[3]), "room again once taken out");
        assertThrows(IllegalStateException.class, () -> byBytes.remove(new Journal.Entry(42, new byte[0])), "only the oldest is removed");
    }
}
