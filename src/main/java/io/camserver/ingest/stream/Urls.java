package io.camserver.ingest.stream;

import java.net.URI;
import java.util.regex.Pattern;

/** Camera URLs as they may be shown: in the API, the UI, logs and metrics. */
public final class Urls {
    /** A query value: whatever follows {@code name=} up to the next parameter or fragment. */
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&;][^=&#;]*=)[^&#;]*");
    /** user:password@ in any URL-shaped text (also jdbc:postgresql://, mqtt://). */
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@\\s]+@");
    /** password=..., pass=... in a query-like string (a JDBC URL's properties). */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|pass|pwd|passwd)=)[^&;\\s]*");

    private Urls() {
    }

    /**
     * The URL with its user info and every query value shown as ***, whatever the parameter is
     * called: cameras put secrets in {@code loginpas}, {@code PASSWORD}, {@code apikey},
     * {@code access_token} and names nobody can list, and the rest of a camera's query is
     * seldom worth the risk of showing.
     */
    public static String masked(URI url) {
        String u = QUERY_VALUE.matcher(url.toString()).replaceAll("$1***");
        return url.getRawUserInfo() == null ? u : u.replace(url.getRawUserInfo() + "@", "***@");
    }

    /** Any setting's text with the credentials a URL can carry (user info, password parameters) shown as ***. */
    public static String maskedText(String text) {
        return PASSWORD_PARAM.matcher(USER_INFO.matcher(text).replaceAll("$1***@")).replaceAll("$1***");
    }
}
