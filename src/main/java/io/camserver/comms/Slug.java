package io.camserver.comms;

import java.text.Normalizer;
import java.util.Locale;

/** Names made safe for MQTT topic levels and Home Assistant object ids: a-z 0-9 and _. */
final class Slug {
    private Slug() {
    }

    /** "Zoë O'Brien" -> "zoe_o_brien"; never empty, never a wildcard, never a level separator. */
    static String of(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (s.length() > 48) {
            s = s.substring(0, 48);
        }
        return s.isEmpty() ? "unnamed" : s;
    }
}
