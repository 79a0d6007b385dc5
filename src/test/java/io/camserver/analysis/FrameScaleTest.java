package io.camserver.analysis;

import io.camserver.support.LiveFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Cheaper frames on the live server: the detector works from a reduced decode, and the full
 * picture is decoded only when something needs its pixels. A camera whose scene keeps changing
 * but holds no face, watched by nobody, never has a frame decoded at full size; once someone
 * watches the mosaic, its frames are.
 */
@Tag("slow") // a real server, browser, broker, namespace or process: not in ./test --fast
class FrameScaleTest {
    @TempDir
    static Path tmp;

    /** Moving coloured blocks on grey: motion in every frame, no face anywhere. */
    private static List<byte[]> facelessScene(int count) {
        OpenCvRuntime.load();
        Random rnd = new Random(11);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mat m = new Mat(480, 640, CvType.CV_8UC3, new Scalar(90, 90, 90));
            for (int b = 0; b < 6; b++) {
                int x = rnd.nextInt(560);
                int y = rnd.nextInt(400);
                Imgproc.rectangle(m, new Point(x, y), new Point(x + 80, y + 80),
                        new Scalar(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)), -1);
            }
            MatOfByte buf = new MatOfByte();
            Imgcodecs.imencode(".jpg", m, buf);
            out.add(buf.toArray());
            buf.release();
            m.release();
        }
        return out;
    }

    @Test
    void framesAreDecodedInFullOnlyForWhatNeedsThem() throws Exception {
        try (LiveFixture live = LiveFixture.start(tmp, Map.of())) {
            var cam = live.camera(facelessScene(6), 10, Duration.ofSeconds(15));
            String id = LiveFixture.idOf(cam);
            var decode = live.server.metrics().stage("decode");
            var decodeFull = live.server.metrics().stage("decode.full");
            LiveFixture.eventually(Duration.ofSeconds(30), "camera " + id + " analysed", () -> {
                var c = live.camera(id);
                return c != null && c.get("framesAnalysed").asLong() >= 5;
            });
            // A new stream is produced for its first seconds (the first viewer finds a picture);
            // the mosaic's began earlier, with the server. Count from when neither is wanted.
            var output = live.server.analysis().output(id).orElseThrow();
            LiveFixture.waitUntil(Duration.ofSeconds(30), "the warm-up of " + id + "'s stream to end", () -> !output.wanted());
            long full0 = decodeFull.count();
            long decode0 = decode.count();
            long analysed0 = live.camera(id).get("framesAnalysed").asLong();
            LiveFixture.eventually(Duration.ofSeconds(30), "30 more frames analysed on " + id,
                    () -> live.camera(id).get("framesAnalysed").asLong() >= analysed0 + 30);
            assertEquals(0, live.camera(id).get("framesStill").asLong(), "the scene changes every frame");
            assertTrue(decode.count() >= decode0 + 30, "reduced decodes for the detector: " + (decode.count() - decode0));
            assertEquals(full0, decodeFull.count(), "no face, no viewer: no frame needed its full size");

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest req = HttpRequest.newBuilder(live.base().resolve("/video_feed")).header("Authorization", LiveFixture.BASIC).GET().build();
            HttpResponse<InputStream> viewer = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = viewer.body()) {
                assertEquals(200, viewer.statusCode());
                in.readNBytes(1000);
                LiveFixture.waitUntil(Duration.ofSeconds(20), "full-size decodes for the mosaic's viewer", () -> decodeFull.count() >= 5);
            }
        }
    }
}
