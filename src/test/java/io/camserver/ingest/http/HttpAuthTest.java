package io.camserver.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Digest answers against RFC 7616's own worked example (section 3.9.1), and challenge parsing. */
class HttpAuthTest {
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void rfc7616ExampleGivesTheRfcsResponsesForSha256AndMd5() {
        // Two WWW-Authenticate headers, joined by commas as HttpHead joins repeated headers.
        String header = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"" + NONCE
                + "\", opaque=\"" + OPAQUE + "\", Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, nonce=\""
                + NONCE + "\", opaque=\"" + OPAQUE + "\"";
        List<HttpAuth.Challenge> c = HttpAuth.parse(header);
        assertEquals(2, c.size(), c.toString());
        assertEquals("SHA-256", c.get(0).algorithm());
        assertEquals("auth, auth-int", c.get(0).param("qop"));
        HttpAuth.Credentials mufasa = new HttpAuth.Credentials("Mufasa", "Circle of Life");
        String sha = HttpAuth.digest(c.get(0), mufasa, "GET", "/dir/index.html", 1, CNONCE);
        assertTrue(sha.contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""), sha);
        String md5 = HttpAuth.digest(c.get(1), mufasa, "GET", "/dir/index.html", 1, CNONCE);
        assertTrue(md5.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""), md5);
        assertTrue(md5.contains("nc=00000001") && md5.contains("qop=auth,") && md5.contains("opaque=\"" + OPAQUE + "\""), md5);
    }

    @Test
    void credentialsComeFromTheUrlPercentDecoded() {
        var c = HttpAuth.Credentials.of(java.net.URI.create("http://ad%40min:p%3Ass+w@h/x")).orElseThrow();
        assertEquals("ad@min", c.user());
        assertEquals("p:ss+w", c.password());
        assertTrue(!c.toString().contains("p:ss"), "never printed");
    }
}
