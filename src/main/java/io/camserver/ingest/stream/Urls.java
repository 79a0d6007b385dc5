package io.camserver.ingest.stream;

import java.net.URI;

/** Camera URLs as they may be shown: in the API, the UI, logs and metrics. */
public final class Urls {
    private Urls() {
    }

    /** The URL with its user info and secret-looking query values ({@code token}, {@code password}, ...) shown as ***. */
    public static String masked(URI url) {
        String u = url.toString().replaceAll("([?&](token|password|pass|pwd|key)=)[^&]*", "$1***");
        return url.getRawUserInfo() == null ? u : u.replace(url.getRawUserInfo() + "@", "***@");
    }
}
