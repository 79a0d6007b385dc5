package io.camserver.ingest.http;

import io.camserver.ingest.stream.StreamException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Chunked transfer coding as ffmpeg and NVRs send it, extensions and all; bad sizes are refused in words. */
class ChunkedInputStreamTest {
    private static byte[] decode(String wire) throws IOException {
        try (ChunkedInputStream in = new ChunkedInputStream(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)))) {
            return in.readAllBytes();
        }
    }

    @Test
    void chunksAreJoinedAndTheStreamEndsAtTheZeroChunk() throws Exception {
        assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), decode("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\ntrailing"));
        assertArrayEquals(new byte[0], decode("0\r\n\r\n"));
        assertArrayEquals("ab".getBytes(StandardCharsets.US_ASCII), decode("2\r\nab\r\n"), "a connection that ends after a chunk");
    }

    @Test
    void aSizeThatIsNotHexadecimalIsRefusedWithTheReason() {
        StreamException e = assertThrows(StreamException.class, () -> decode("zz\r\nhello\r\n"));
        assertEquals("bad chunk size line (not a hexadecimal size)", e.getMessage());
        assertThrows(StreamException.class, () -> decode("-5\r\nhello\r\n"));
    }
}
