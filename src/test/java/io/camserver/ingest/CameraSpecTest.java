package io.camserver.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One camera specification for the config file and the API: defaults, credentials kept apart, each mistake named by its field. */
class CameraSpecTest {
    private static CameraSpec parse(Map<String, ?> fields) {
        return CameraSpec.parse(fields, null);
    }

    private static String refused(Map<String, ?> fields) {
        InvalidField e = assertThrows(InvalidField.class, () -> parse(fields));
        return e.field() + ": " + e.getMessage();
    }

    @Test
    void defaultsFollowTheUrl() {
        CameraSpec mjpeg = parse(Map.of("id", "door", "url", "http://10.0.0.5:81/stream"));
        assertEquals(CameraSpec.Kind.MJPEG, mjpeg.kind());
        assertEquals(CameraSpec.DEFAULT_FPS, mjpeg.fps());
        assertEquals(CameraSpec.DEFAULT_INTERVAL, mjpeg.interval());
        assertFalse(mjpeg.udp() || mjpeg.insecure());
        CameraSpec rtsp = parse(Map.of("id", "porch", "url", "rtsp://10.0.0.7:554/s", "fps", 5, "transport", "udp"));
        assertEquals(CameraSpec.Kind.RTSP, rtsp.kind());
        assertEquals(5.0, rtsp.fps());
        assertTrue(rtsp.udp());
        assertEquals(CameraSpec.MAX_WIDTH, rtsp.source("ffmpeg").rtsp().maxWidth(), "one width for every RTSP camera");
        assertEquals(Duration.ofSeconds(2), parse(Map.of("id", "yard", "url", "http://h/cap", "kind", "snapshot", "interval", "2s")).interval());
    }

    @Test
    void credentialsInTheUrlAreKeptApartAndJoinedOnlyToConnect() {
        CameraSpec c = parse(Map.of("id", "porch", "url", "rtsp://view%40er:p%3Ass@10.0.0.7:554/s"));
        assertEquals(URI.create("rtsp://10.0.0.7:554/s"), c.url(), "no credentials in the stored URL");
        assertEquals("view@er", c.username());
        assertEquals("p:ss", c.password());
        assertEquals("rtsp://view%40er:p%3Ass@10.0.0.7:554/s", c.connectUrl().toString());
        assertFalse(c.toString().contains("p:ss") || c.toString().contains("p%3Ass"), c.toString());
        CameraSpec plain = parse(Map.of("id", "door", "url", "http://10.0.0.5/stream"));
        assertNull(plain.username());
        assertEquals(plain.url(), plain.connectUrl());
    }

    @Test
    void aChangeKeepsWhatItDoesNotGive() {
        CameraSpec old = parse(Map.of("id", "porch", "url", "rtsp://u:p@10.0.0.7:554/s", "fps", 5));
        CameraSpec changed = CameraSpec.parse(Map.of("fps", 2), old);
        assertEquals("porch", changed.id());
        assertEquals(2.0, changed.fps());
        assertEquals("u", changed.username());
        assertEquals("p", changed.password());
        assertEquals(old.url(), changed.url());
    }

    @Test
    void credentialsNeverFollowTheUrlToAnotherDevice() {
        CameraSpec old = parse(Map.of("id", "porch", "url", "rtsp://10.0.0.7:554/s", "username", "u", "password", "p"));
        CameraSpec samePlace = CameraSpec.parse(Map.of("url", "rtsp://10.0.0.7/other"), old);
        assertEquals("p", samePlace.password(), "another path of the same device keeps them (554 is rtsp's port)");
        for (String elsewhere : new String[] {"rtsp://10.0.0.8:554/s", "rtsp://10.0.0.7:8554/s", "http://10.0.0.7:554/s"}) {
            CameraSpec moved = CameraSpec.parse(Map.of("url", elsewhere, "kind", elsewhere.startsWith("rtsp") ? "rtsp" : "mjpeg"), old);
            assertNull(moved.username(), elsewhere);
            assertNull(moved.password(), elsewhere);
            assertEquals(URI.create(elsewhere), moved.connectUrl(), "nothing sent to " + elsewhere);
        }
        CameraSpec given = CameraSpec.parse(Map.of("url", "rtsp://10.0.0.8:554/s", "password", "p2", "username", "u2"), old);
        assertEquals("p2", given.password(), "given again, they are used");
    }

    @Test
    void eachMistakeIsNamedByItsField() {
        Map<String, Object> ok = new HashMap<>(Map.of("id", "x1", "url", "http://10.0.0.5/stream"));
        assertEquals("id: id is required", refused(Map.of("url", "http://h/")));
        assertEquals("id: id must be 1-63 of a-z 0-9 - starting with a letter or digit (was 'Front Door')",
                refused(Map.of("id", "Front Door", "url", "http://h/")));
        assertEquals("url: url must be http(s):// (MJPEG or snapshot) or rtsp:// (was ftp://)", refused(Map.of("id", "x1", "url", "ftp://h/a")));
        assertEquals("url: url is not a URL", refused(Map.of("id", "x1", "url", "not a url")));
        assertEquals("id: id 'people' is reserved: MQTT topics camserver/people/... are the server's own",
                refused(Map.of("id", "people", "url", "http://h/")));
        assertEquals("url: url has no host", refused(Map.of("id", "x1", "url", "http:///path")));
        assertEquals("kind: an rtsp:// url needs kind rtsp, and kind rtsp an rtsp:// url (was rtsp:// as mjpeg)",
                refused(Map.of("id", "x1", "url", "rtsp://h/s", "kind", "mjpeg")));
        ok.put("fps", "fast");
        assertEquals("fps: fps must be a number (was 'fast')", refused(ok));
        ok.put("fps", 0);
        assertEquals("fps: fps must be in (0, 60] (was 0.0)", refused(ok));
        ok.remove("fps");
        ok.put("interval", "10ms");
        assertEquals("interval: interval must be at least 50ms (was 10ms)", refused(ok));
        ok.remove("interval");
        ok.put("colour", "red");
        assertTrue(refused(ok).startsWith("colour: unknown field 'colour'; known: auth, fps, id, insecure, interval, kind, password, transport, url, username"));
        ok.remove("colour");
        ok.put("auth", "digest");
        assertEquals("auth: auth must be auto or basic (was 'digest')", refused(ok));
    }
}
