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

    /** Each person's slug: their name's, with part of their id added when two names make the same slug. */
    static java.util.Map<String, String> forPeople(java.util.Collection<PersonRef> people) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (PersonRef p : people) {
            String slug = of(p.name());
            if (!used.add(slug)) {
                slug = slug + "_" + of(p.id()).substring(0, Math.min(8, of(p.id()).length()));
                used.add(slug);
            }
            out.put(p.id(), slug);
        }
        return out;
    }
}
