package io.camserver.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Names in topics: never a wildcard, a separator or empty, whatever a user typed. */
class SlugTest {
    @Test
    void namesBecomeSafeTopicLevels() {
        assertEquals("zoe_o_brien", Slug.of("Zoë O'Brien"));
        assertEquals("alice", Slug.of("  Alice  "));
        assertEquals("a_b_c", Slug.of("a/b+c#"));
        assertEquals("unnamed", Slug.of("+/#"));
        assertEquals("unnamed", Slug.of("名前"));
        assertEquals(48, Slug.of("x".repeat(200)).length());
    }
}
