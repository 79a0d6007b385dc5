package io.camserver.web;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * What every request passes before authentication: the Host it names (DNS rebinding), the size
 * of what it may send, the browser hardening headers, and a bounded number of uploads at once.
 * Only the upload routes may send {@code upload.maxBytes}; every other body (a login, a JSON
 * request, a registration) is at most {@link #MAX_SMALL_BODY}.
 */
public final class RequestGuard {
    public static final int MAX_SMALL_BODY = 64 << 10;
    static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final List<String> allowedHosts;
    private final int maxUploads;
    private final Semaphore uploads;
    /** Scale-out: replicas reach each other by pod address, which no host list can name. */
    private final PeerCheck peers;

    /**
     * @param allowedHosts host names, or host:port, the server answers to (lowercase); empty: any
     * @param maxUploads   uploads decoded at once (each may hold a 40 MP image); more get 503
     */
    public RequestGuard(List<String> allowedHosts, int maxUploads, PeerCheck peers) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.peers = java.util.Objects.requireNonNull(peers, "peers");
        this.maxUploads = maxUploads;
        this.uploads = new Semaphore(maxUploads);
    }

    /** The routes that take a photo (multipart {@code image}); only they may send large bodies. */
    static boolean isUpload(String method, String path) {
        return method.equals("POST") && (path.equals("/api/identify") || path.equals("/api/search/faces")
                || path.matches("/api/people/[^/]+/samples"));
    }

    void before(Context ctx) {
        // Sent on every answer: harmless on JSON and MJPEG, and no HTML or script can slip past.
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        if ("https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"))) {
            // Reached over TLS (here or at the ingress's edge): the browser keeps to https from now on,
            // so a later plain-http link cannot hand the session cookie or the password to the network.
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        String path = ctx.path();
        if (!allowedHosts.isEmpty() && !path.equals("/healthz") && !path.equals("/readyz") && !peers.accepts(ctx)) {
            // Probes come from the kubelet with the pod's IP as Host and reveal nothing; peer
            // replicas prove themselves with the shared secret.
            String host = ctx.header("Host");
            if (host == null || !allowed(host.toLowerCase(Locale.ROOT))) {
                throw new HttpResponseException(421, "this server does not answer to the host name '"
                        + (host == null ? "" : host.replaceAll("[^A-Za-z0-9.:\\[\\]-]", "?")) + "' (server.allowedHosts)");
            }
        }
        if (!isUpload(ctx.method().name(), path) && ctx.contentLength() > MAX_SMALL_BODY) {
            throw new HttpResponseException(413, "a request body of " + ctx.contentLength() + " bytes is over the limit of "
                    + MAX_SMALL_BODY + " bytes for " + path + " (only photo uploads may be larger)");
        }
    }

    /** The raw path and query a peer's token was made for. */
    static String target(Context ctx) {
        String q = ctx.req().getQueryString();
        return ctx.req().getRequestURI() + (q == null ? "" : "?" + q);
    }

    private boolean allowed(String host) {
        if (allowedHosts.contains(host)) {
            return true;
        }
        int colon = host.lastIndexOf(':');
        String bare = colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
        return allowedHosts.contains(bare);
    }

    /** A small request body (JSON, a login form), read with the limit enforced whatever Content-Length said. */
    static byte[] smallBody(Context ctx) throws IOException {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] data = in.readNBytes(MAX_SMALL_BODY + 1);
            if (data.length > MAX_SMALL_BODY) {
                throw new HttpResponseException(413, "request body is over the limit of " + MAX_SMALL_BODY + " bytes");
            }
            return data;
        }
    }

    /** Something that handles an upload. */
    @FunctionalInterface
    interface Upload {
        void handle() throws Exception;
    }

    /** Runs an upload if a slot is free; 503 with Retry-After otherwise, before reading the body. */
    void upload(Context ctx, Upload body) throws Exception {
        if (!uploads.tryAcquire()) {
            ctx.header("Retry-After", "2");
            throw new HttpResponseException(503, "busy: " + maxUploads + " uploads are being processed (upload.maxConcurrent); try again");
        }
        try {
            body.handle();
        } finally {
            uploads.release();
        }
    }
}
