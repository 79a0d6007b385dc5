package io.camserver.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What a camera URL shows: never its credentials or any query value, whatever the camera calls them. */
class UrlsTest {
    @Test
    void everyQueryValueAndTheUserInfoAreMasked() {
        assertEquals("http://***@10.0.0.5:81/videostream.cgi?loginuse=***&loginpas=***",
                Urls.masked(URI.create("http://admin:pw@10.0.0.5:81/videostream.cgi?loginuse=admin&loginpas=S3cret")));
        assertEquals("http://10.0.0.5/stream?PASSWORD=***&apikey=***&access_token=***&token=***",
                Urls.masked(URI.create("http://10.0.0.5/stream?PASSWORD=a&apikey=b&access_token=c&token=d")));
        assertEquals("rtsp://10.0.0.7:554/h264Preview_01_sub", Urls.masked(URI.create("rtsp://10.0.0.7:554/h264Preview_01_sub")));
        assertEquals("http://h/cgi?user=***;pwd=***#frag", Urls.masked(URI.create("http://h/cgi?user=u;pwd=p#frag")));
    }

    @Test
    void settingsThatHoldURLsLoseTheirPasswords() {
        assertEquals("mqtt://***@broker:1883", Urls.maskedText("mqtt://camserver:Br0ker-Pw@broker:1883"));
        assertEquals("jdbc:postgresql://db:5432/camserver?user=camserver&password=***&ssl=true",
                Urls.maskedText("jdbc:postgresql://db:5432/camserver?user=camserver&password=Pg-Pw&ssl=true"));
        assertEquals("door=http://***@10.0.0.5/stream yard=snapshot:http://10.0.0.6/capture",
                Urls.maskedText("door=http://u:p@10.0.0.5/stream yard=snapshot:http://10.0.0.6/capture"));
        assertEquals("5s", Urls.maskedText("5s"));
    }
}
