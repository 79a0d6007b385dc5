package io.camserver.eval;

import io.camserver.gallery.EmbeddingIndex;
import io.camserver.gallery.Match;
import io.camserver.gallery.MatchConfig;
import io.camserver.gallery.Person;
import io.camserver.vision.Embedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open-set identification as the live server does it: the first {@code enroll} faces of each
 * person (in file-name order) form the gallery, the others are probes, matched with the product's
 * own {@link EmbeddingIndex} (threshold and margin). {@code leaveOut} people at a time play
 * strangers: folds rotate through everyone, so each person is a stranger in one fold and known in
 * the others, and the figures are pooled over the folds. Faces with a null label come from
 * outside the labelled set (strangers' photos) and are probed in every fold.
 *
 * @param rank1          share of known people's probes whose nearest person is right (no threshold)
 * @param namedRight     share of known people's probes named, and named right
 * @param namedWrong     share of known people's probes given someone else's name
 * @param unknownRight   share of strangers' probes left unknown
 * @param strangerNamed  strangers' probes given a name (each one a false alarm on a camera)
 */
public record Identification(int enroll, int leaveOut, int folds, int probes, int strangerProbes, double rank1, double namedRight,
                             double namedWrong, double unknownRight, int strangerNamed) {

    public static Identification run(List<String> labels, List<Embedding> faces, int enroll, int leaveOut, MatchConfig match) {
        Map<String, List<Integer>> byPerson = new LinkedHashMap<>();
        List<Integer> outsiders = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                outsiders.add(i);
            } else {
                byPerson.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
            }
        }
        List<String> people = byPerson.keySet().stream().sorted().toList();
        int folds = leaveOut == 0 ? 1 : (people.size() + leaveOut - 1) / leaveOut;
        int probes = 0;
        int strangers = 0;
        int rank1 = 0;
        int right = 0;
        int wrong = 0;
        int unknownRight = 0;
        String modelId = faces.get(0).modelId();
        for (int f = 0; f < folds; f++) {
            List<String> out = leaveOut == 0 ? List.of() : people.subList(f * leaveOut, Math.min(people.size(), (f + 1) * leaveOut));
            EmbeddingIndex.Builder b = EmbeddingIndex.builder(modelId, match);
            for (String p : people) {
                if (out.contains(p)) {
                    continue;
                }
                List<Integer> idx = byPerson.get(p);
                for (int k = 0; k < Math.min(enroll, idx.size()); k++) {
                    b.add(new Person(p, p), faces.get(idx.get(k)));
                }
            }
            EmbeddingIndex gallery = b.build();
            if (gallery.size() == 0) {
                continue;
            }
            for (int i : outsiders) {
                strangers++;
                unknownRight += gallery.match(faces.get(i)).known() ? 0 : 1;
            }
            for (String p : people) {
                List<Integer> idx = byPerson.get(p);
                boolean stranger = out.contains(p);
                for (int k = stranger ? 0 : enroll; k < idx.size(); k++) {
                    Match m = gallery.match(faces.get(idx.get(k)));
                    if (stranger) {
                        strangers++;
                        unknownRight += m.known() ? 0 : 1;
                    } else {
                        probes++;
                        rank1 += m.nearest().map(n -> n.id().equals(p)).orElse(false) ? 1 : 0;
                        if (m.known()) {
                            if (m.person().orElseThrow().id().equals(p)) {
                                right++;
                            } else {
                                wrong++;
                            }
                        }
                    }
                }
            }
        }
        return new Identification(enroll, leaveOut, folds, probes, strangers, share(rank1, probes), share(right, probes), share(wrong, probes),
                share(unknownRight, strangers), strangers - unknownRight);
    }

    private static double share(int n, int of) {
        return of == 0 ? Double.NaN : (double) n / of;
    }
}
