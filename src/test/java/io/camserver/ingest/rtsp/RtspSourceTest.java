package io.camserver.ingest.rtsp;

import io.camserver.ingest.stream.IngestLimits;
import io.camserver.ingest.stream.StreamException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of RTSP ingest that need no server: splitting FFmpeg's JPEG output, and its errors in our words. */
class RtspSourceTest {
    @Test
    void backToBackJpegsAreSplitByTheirMarkers() throws Exception {
        byte[] a = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
        byte[] b = Files.readAllBytes(Fixtures.faces().resolve("seed-gallery/Ricardo Noriega/ricky1.jpg")); // progressive
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(a);
        all.write(b);
        all.write(a);
        ByteArrayInputStream in = new ByteArrayInputStream(all.toByteArray());
        assertArrayEquals(a, JpegStream.next(in, 4 << 20));
        assertArrayEquals(b, JpegStream.next(in, 4 << 20));
        assertArrayEquals(a, JpegStream.next(in, 4 << 20));
        assertNull(JpegStream.next(in, 4 << 20), "a clean end between images");

        assertThrows(EOFException.class, () -> JpegStream.next(new ByteArrayInputStream(Arrays.copyOf(a, a.length / 2)), 4 << 20));
        assertTrue(assertThrows(StreamException.class, () -> JpegStream.next(new ByteArrayInputStream("HTTP/1.0 200".getBytes()), 4 << 20))
                .getMessage().startsWith("decoder output is not a JPEG"));
        assertTrue(assertThrows(StreamException.class, () -> JpegStream.next(new ByteArrayInputStream(a), 16 << 10)).getMessage()
                .contains("over ingest.maxPartBytes"));
    }

    @Test
    void ffmpegErrorsBecomeCausesInOurWords() {
        assertEquals(Optional.of("wrong credentials (401)"), RtspSource.describe(List.of(
                "[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized", "rtsp://***@127.0.0.1:554/a: Server returned 401 Unauthorized")));
        assertEquals(Optional.of("unknown path (404)"), RtspSource.describe(List.of("[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found")));
        assertEquals(Optional.of("connection refused"), RtspSource.describe(List.of("rtsp://h/a: Connection refused")));
        assertEquals(Optional.of("camera refused the request (454)"), RtspSource.describe(List.of("method SETUP failed: 454 Session Not Found")));
        assertEquals(Optional.empty(), RtspSource.describe(List.of("something FFmpeg never said before")));
        assertEquals(Optional.of("frames too large (over 36 MP): not decoded; use the camera's substream"), RtspSource.describe(List.of(
                "[hevc @ 0x1] [IMGUTILS @ 0x2] Picture size 8192x4608 exceeds specified max pixel count 36000000, see the documentation")));
    }

    @Test
    void noMoreChildrenThanTheServerAllows() throws Exception {
        FfmpegChildren children = new FfmpegChildren(1);
        // A stand-in child that lives until closed: the cap counts processes, whatever they run.
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            children.started(sleeper);
            RtspSource s = new RtspSource("door", URI.create("rtsp://127.0.0.1:9/live"), IngestLimits.DEFAULT, RtspSource.Options.DEFAULT, children);
            assertEquals("too many FFmpeg children (1 running): not starting another",
                    assertThrows(io.camserver.ingest.stream.StreamException.class, s::open).getMessage());
        } finally {
            children.close();
        }
        assertEquals(0, children.alive(), "closing ends them");
    }

    @Test
    void theCommandCapsRateAndWidthAndNeverReadsStdin() {
        RtspSource s = new RtspSource("door", URI.create("rtsp://u:p@127.0.0.1:8554/live"), IngestLimits.DEFAULT,
                new RtspSource.Options("ffmpeg", true, 2.5, 960), new FfmpegChildren(4));
        List<String> cmd = s.command();
        assertTrue(cmd.contains("-nostdin"));
        assertEquals("udp", cmd.get(cmd.indexOf("-rtsp_transport") + 1));
        assertEquals("5000000", cmd.get(cmd.indexOf("-timeout") + 1), "ingest.readTimeout in microseconds");
        assertEquals("fps=2.5,scale='min(960,iw)':-2", cmd.get(cmd.indexOf("-vf") + 1));
        // An untrusted camera: two decoder threads at most, no huge frame, video only, UDP from the camera only.
        assertEquals("2", cmd.get(cmd.indexOf("-threads") + 1));
        assertTrue(cmd.indexOf("-threads") < cmd.indexOf("-i") && cmd.indexOf("-max_pixels") < cmd.indexOf("-i"), "input options: " + cmd);
        assertEquals(String.valueOf(RtspSource.MAX_PIXELS), cmd.get(cmd.indexOf("-max_pixels") + 1));
        assertEquals("0:v:0", cmd.get(cmd.indexOf("-map") + 1));
        assertEquals("filter_src", cmd.get(cmd.indexOf("-rtsp_flags") + 1));
        assertTrue(!new RtspSource("door", URI.create("rtsp://127.0.0.1:8554/live"), IngestLimits.DEFAULT, RtspSource.Options.DEFAULT,
                new FfmpegChildren(4)).command().contains("-rtsp_flags"), "filter_src is for UDP only");
        assertThrows(IllegalArgumentException.class, () -> new RtspSource("x", URI.create("http://h/a"), IngestLimits.DEFAULT,
                RtspSource.Options.DEFAULT, new FfmpegChildren(4)));
    }
}
