package io.camserver.gallery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One person appears at most once in a frame. When two faces of one frame would take the same
 * person, the better match keeps the name; the other falls back on its next candidate, if that
 * one passes the threshold and the margin on its own, else it is unknown ({@link Match.Reason#TAKEN}).
 * Faces are settled best first, so the outcome does not depend on where in the picture a face is.
 */
public final class OnePerFrame {
    private OnePerFrame() {
    }

    /**
     * @param matches one per face of the frame, as the gallery answered each alone
     * @param held    people already named on faces of this frame that are not matched again now
     *                (in the live pipeline: the other tracks in view), with the similarity behind
     *                that name; a face takes such a person only with a better similarity
     * @return the matches, in the same order, with no person twice
     */
    public static List<Match> assign(List<Match> matches, MatchConfig config, Map<String, Float> held) {
        Integer[] order = new Integer[matches.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -top(matches.get(i))));
        Map<String, Float> taken = new HashMap<>(held);
        Match[] out = new Match[matches.size()];
        for (int i : order) {
            Match m = matches.get(i);
            List<Scored> free = new ArrayList<>(m.ranked().size());
            for (Scored s : m.ranked()) {
                Float holder = taken.get(s.person().id());
                if (holder == null || holder < s.similarity()) {
                    free.add(s);
                }
            }
            Match settled = m;
            if (free.size() < m.ranked().size()) {
                settled = Match.decide(free, config, m.ignored());
                if (!settled.known() && m.known()) {
                    settled = new Match(Optional.empty(), m.similarity(), m.nearest(), m.runnerUp(), Match.Reason.TAKEN, m.ranked(), m.ignored());
                }
            }
            if (settled.known()) {
                taken.merge(settled.person().get().id(), settled.similarity(), Math::max);
            }
            out[i] = settled;
        }
        return List.of(out);
    }

    private static double top(Match m) {
        return m.ranked().isEmpty() ? -2 : m.ranked().get(0).similarity();
    }
}
