package io.camserver.ingest.http;

import io.camserver.ingest.stream.StreamException;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for {@code https://} cameras over an already connected socket (so the connect timeout
 * applies as for plain HTTP): the Java runtime's trust store and a host-name check by default;
 * with {@code insecure}, any certificate (cameras with self-signed ones), which the registry logs.
 */
final class Tls {
    private static final SSLSocketFactory TRUST_ANY = trustAny();

    private Tls() {
    }

    static Socket wrap(Socket plain, String host, int port, boolean insecure) throws IOException {
        SSLSocketFactory f = insecure ? TRUST_ANY : (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket t = (SSLSocket) f.createSocket(plain, host, port, true);
        if (!insecure) {
            SSLParameters p = t.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            t.setSSLParameters(p);
        }
        t.setSoTimeout(plain.getSoTimeout());
        try {
            t.startHandshake();
        } catch (SSLHandshakeException e) {
            t.close();
            throw new StreamException(describe(e));
        } catch (SSLException e) {
            t.close();
            throw new StreamException("TLS failed (" + e.getClass().getSimpleName() + "): is it an https:// port?");
        }
        return t;
    }

    /** In our words; the certificate's own text (names a camera chose) is not repeated. */
    static String describe(SSLHandshakeException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof CertificateException && (m.contains("subject alternative") || m.contains("No name matching"))) {
                return "TLS: the camera's certificate is not for this host name or address";
            }
            if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
                return "TLS: the camera's certificate is not trusted (self-signed? set insecure: true for this camera)";
            }
            if (c instanceof java.security.cert.CertificateExpiredException) {
                return "TLS: the camera's certificate has expired";
            }
        }
        return "TLS handshake failed";
    }

    private static SSLSocketFactory trustAny() {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // not a server
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // insecure: true was asked for this camera
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {any}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every Java runtime", e);
        }
    }
}
