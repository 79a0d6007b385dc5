package io.camserver.gallery;

import io.camserver.image.ImageDecodeException;
import io.camserver.image.ImageDecoder;
import io.camserver.image.MatScope;
import io.camserver.image.JpegEncoder;
import io.camserver.store.ConflictException;
import io.camserver.store.EventStore;
import io.camserver.store.NegativeStore;
import io.camserver.store.PeopleStore;
import io.camserver.vision.AlignedFace;
import io.camserver.vision.Detection;
import io.camserver.vision.Embedding;
import io.camserver.vision.FaceAnalyzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment and the live index: adds samples from photos, live frames and past sightings,
 * re-embeds stored crops when the embedding model changes, and after every change swaps a fresh
 * snapshot into the {@link LiveGallery} the cameras match against. Photos are analysed with the
 * still-image detector and the flip pass (quality over speed); one at a time, since the
 * analyzer owns native networks.
 */
public final class GalleryService {
    private static final Logger log = LoggerFactory.getLogger(GalleryService.class);

    private final PeopleStore people;
    private final EventStore events;
    private final FaceAnalyzer analyzer;
    private final LiveGallery live;
    private final MatchConfig match;
    private final NegativeStore negatives;
    private final Corrections corrections;
    private final PhotoFaces photos;
    /** Told the person's id whenever a person gets samples (the history then names past sightings). */
    private volatile java.util.function.Consumer<String> samplesAdded = id -> { };
    private final ImageDecoder uploads;
    private final JpegEncoder cropEncoder = new JpegEncoder(95);

    private volatile long loadedVersion = -1;

    public GalleryService(PeopleStore people, EventStore events, NegativeStore negatives, FaceAnalyzer stillAnalyzer, LiveGallery live,
                          MatchConfig match, ImageDecoder uploads) {
        this.people = Objects.requireNonNull(people, "people");
        this.negatives = Objects.requireNonNull(negatives, "negatives");
        this.corrections = new Corrections(this, negatives, events);
        this.photos = new PhotoFaces(this, stillAnalyzer, uploads, live);
        this.events = Objects.requireNonNull(events, "events");
        this.analyzer = Objects.requireNonNull(stillAnalyzer, "stillAnalyzer");
        this.live = Objects.requireNonNull(live, "live");
        this.match = Objects.requireNonNull(match, "match");
        this.uploads = Objects.requireNonNull(uploads, "uploads");
    }

    public String modelId() {
        return analyzer.embedderModelId();
    }

    public PeopleStore people() {
        return people;
    }

    /** A face found in an uploaded photo, offered for the caller to pick. */
    public record Candidate(int index, int[] box, float score) {
    }

    /** The outcome of adding a sample from a photo. */
    public sealed interface Enrollment permits Added, NoFace, SeveralFaces, BadImage {
    }

    /**
     * @param consistency how the new sample compares with the person's earlier ones (empty for
     *                    a first sample)
     */
    public record Added(PeopleStore.SampleInfo sample, Optional<Consistency> consistency) implements Enrollment {
    }

    /**
     * How like the person's other samples a new one is: its best and mean cosine with them. It is
     * an outlier when even the best is under the match threshold, i.e. the gallery would not name
     * this face as the person from any of their other samples: most often a photo of someone else,
     * or a poor one. The sample is kept (the user decides), with a warning that says so.
     */
    public record Consistency(int others, float best, float mean, boolean outlier, Optional<String> warning) {
    }

    /**
     * How like the person's other samples each of their samples is (best and mean cosine; an
     * outlier when even the best is under the match threshold): the face library's view of the
     * gallery. Samples of another model (awaiting re-embedding) are left out.
     */
    public synchronized Map<String, Consistency> consistencyOfSamples(String personId) {
        List<PeopleStore.StoredSample> mine = people.samplesOf(modelId()).stream().filter(x -> x.personId().equals(personId)).toList();
        Map<String, Consistency> out = new java.util.HashMap<>();
        for (PeopleStore.StoredSample a : mine) {
            if (mine.size() < 2) {
                break;
            }
            Embedding ea = new Embedding(a.embedding(), a.modelId());
            float best = -1;
            float sum = 0;
            for (PeopleStore.StoredSample b : mine) {
                if (b != a) {
                    float c = ea.cosine(new Embedding(b.embedding(), b.modelId()));
                    best = Math.max(best, c);
                    sum += c;
                }
            }
            boolean outlier = best < match.threshold();
            out.put(a.id(), new Consistency(mine.size() - 1, best, sum / (mine.size() - 1), outlier,
                    outlier ? Optional.of("unlike this person's other samples (best similarity " + String.format(java.util.Locale.ROOT, "%.2f", best)
                            + ", under the match threshold " + String.format(java.util.Locale.ROOT, "%.2f", match.threshold()) + ")") : Optional.empty()));
        }
        return out;
    }

    /** The view's quality as live analysis measures it (face height, sharpness of the aligned face, yaw). */
    private static EventStore.Quality quality(io.camserver.vision.Detection d, AlignedFace face) {
        io.camserver.vision.FaceQuality q = io.camserver.vision.FaceQuality.of(d).withSharpness(face);
        return new EventStore.Quality(q.height(), q.sharpness(), q.yaw());
    }

    private Optional<Consistency> consistency(String personId, String personName, Embedding e) {
        List<PeopleStore.StoredSample> mine = people.samplesOf(modelId()).stream().filter(x -> x.personId().equals(personId)).toList();
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        float best = -1;
        float sum = 0;
        for (PeopleStore.StoredSample x : mine) {
            float c = e.cosine(new Embedding(x.embedding(), x.modelId()));
            best = Math.max(best, c);
            sum += c;
        }
        boolean outlier = best < match.threshold();
        Optional<String> warning = outlier ? Optional.of(String.format(java.util.Locale.ROOT,
                "this face is unlike %s's other %d sample%s (best similarity %.2f, under the match threshold %.2f): check it is %s",
                personName, mine.size(), mine.size() == 1 ? "" : "s", best, match.threshold(), personName)) : Optional.empty();
        return Optional.of(new Consistency(mine.size(), best, sum / mine.size(), outlier, warning));
    }


    public record NoFace(String reason) implements Enrollment {
    }

    /** Several faces and no {@code face} index given: the caller picks one. */
    public record SeveralFaces(List<Candidate> faces) implements Enrollment {
    }

    public record BadImage(String reason) implements Enrollment {
    }

    /** Rebuilds the live index from the database; call after any change to samples. */
    public synchronized void rebuild() {
        // The version is read before the data: a change committed in between makes the next
        // check see a newer version and rebuild again, never the other way round.
        long version = people.version();
        EmbeddingIndex.Builder b = EmbeddingIndex.builder(modelId(), match);
        for (PeopleStore.PersonInfo p : people.list()) {
            b.person(new Person(p.id(), p.name()));
        }
        for (PeopleStore.StoredSample s : people.samplesOf(modelId())) {
            b.add(new Person(s.personId(), s.personName()), new Embedding(s.embedding(), s.modelId()));
        }
        for (NegativeStore.StoredNegative n : negatives.ofModel(modelId())) {
            Embedding e = new Embedding(n.embedding(), modelId());
            if (n.personId().isPresent()) {
                b.negative(new Person(n.personId().get(), n.personName().orElseThrow()), e);
            } else {
                b.ignore(e);
            }
        }
        live.replace(b.build());
        loadedVersion = version;
    }

    /**
     * Rebuilds the live gallery if the database holds a newer version than the one loaded: a
     * change made through another replica. Analysis keeps matching against the old snapshot
     * until the new one replaces it. Returns whether it rebuilt.
     */
    public boolean refreshIfChanged() {
        if (people.version() == loadedVersion) {
            return false;
        }
        synchronized (this) {
            if (people.version() == loadedVersion) {
                return false;
            }
            rebuild();
            log.info("gallery: reloaded version {} ({} people), changed elsewhere", loadedVersion, live.size());
            return true;
        }
    }

    public synchronized PeopleStore.PersonInfo createPerson(String name) {
        PeopleStore.PersonInfo p = people.create(name);
        rebuild();
        return p;
    }

    public synchronized PeopleStore.PersonInfo renamePerson(String id, String name) {
        PeopleStore.PersonInfo p = people.rename(id, name);
        rebuild();
        return people.get(p.id()).orElseThrow();
    }

    /**
     * Samples stored by another embedding model are embedded again from their aligned crops,
     * never mixed with the current model's vectors. Returns how many were re-embedded.
     */
    public synchronized int reembedStale() {
        List<PeopleStore.Stale> stale = people.samplesNotOf(modelId());
        int done = 0;
        for (PeopleStore.Stale s : stale) {
            try (MatScope scope = new MatScope()) {
                Mat crop = scope.add(Imgcodecs.imdecode(scope.add(new MatOfByte(s.crop())), Imgcodecs.IMREAD_COLOR));
                if (crop.empty() || crop.cols() != 112 || crop.rows() != 112) {
                    log.warn("sample {} has an unusable stored crop; left on model {}", s.id(), s.modelId());
                    continue;
                }
                Detection whole = new Detection(new io.camserver.vision.Box(0, 0, 112, 112), 1f,
                        new io.camserver.vision.Landmarks(new float[10]));
                try (AlignedFace face = new AlignedFace(crop.clone(), whole)) {
                    people.replaceEmbedding(s.id(), modelId(), analyzer.embed(face).unsafeVector());
                    done++;
                }
            }
        }
        if (done > 0) {
            log.info("re-embedded {} samples from {} with {}", done, stale.get(0).modelId(), modelId());
        }
        return done;
    }

    /** Adds a sample of {@code personId} from a photo; {@code faceIndex} picks among several faces. */
    public synchronized Enrollment enroll(String personId, byte[] photo, Optional<Integer> faceIndex, String source) {
        if (people.get(personId).isEmpty()) {
            throw new ConflictException("no person " + personId);
        }
        Mat img;
        try {
            img = uploads.decode(photo);
        } catch (ImageDecodeException e) {
            return new BadImage(e.getMessage());
        }
        try {
            List<Detection> faces = PhotoFaces.sortedLeftToRight(analyzer.detect(img));
            if (faces.isEmpty()) {
                return new NoFace("no face found in the " + img.cols() + "x" + img.rows() + " image");
            }
            Detection chosen;
            if (faceIndex.isPresent()) {
                int i = faceIndex.get();
                if (i < 0 || i >= faces.size()) {
                    throw new IllegalArgumentException("face must be 0.." + (faces.size() - 1) + " (was " + i + ")");
                }
                chosen = faces.get(i);
            } else if (faces.size() == 1) {
                chosen = faces.get(0);
            } else {
                List<Candidate> c = new ArrayList<>();
                for (int i = 0; i < faces.size(); i++) {
                    var b = faces.get(i).box();
                    c.add(new Candidate(i, new int[] {Math.round(b.x()), Math.round(b.y()), Math.round(b.w()), Math.round(b.h())},
                            faces.get(i).score()));
                }
                return new SeveralFaces(c);
            }
            try (AlignedFace face = analyzer.align(img, chosen)) {
                Embedding e = analyzer.embed(face);
                String name = people.get(personId).map(PeopleStore.PersonInfo::name).orElse(personId);
                Optional<Consistency> consistency = consistency(personId, name, e);
                PeopleStore.SampleInfo s = people.addSample(personId, e.modelId(), e.unsafeVector(), cropEncoder.encode(face.pixels()), source,
                        null, quality(chosen, face));
                rebuild();
                consistency.flatMap(Consistency::warning).ifPresent(w -> log.warn("person {}: sample {}: {}", personId, s.id(), w));
                samplesAdded.accept(personId);
                return new Added(s, consistency);
            }
        } finally {
            img.release();
        }
    }

    /** Adds a past sighting's face (its stored aligned crop and embedding) to a person. */
    public synchronized PeopleStore.SampleInfo enrollFromEvent(String personId, String eventId) {
        EventStore.Face f = events.face(eventId).orElseThrow(() -> new ConflictException("no event " + eventId));
        float[] vector = f.embedding();
        String model = f.modelId();
        if (!model.equals(modelId())) {
            throw new ConflictException("event " + eventId + " was embedded by " + model + ", the gallery uses " + modelId());
        }
        PeopleStore.SampleInfo s = people.addSample(personId, model, vector, f.crop(), "event", eventId);
        events.assign(eventId, personId, null);
        rebuild();
        samplesAdded.accept(personId);
        return s;
    }

    /** The gallery cameras match against. */
    public LiveGallery live() {
        return live;
    }

    /** Who to tell when a person gets samples (one listener: the history's relabeller). */
    public void onSamplesAdded(java.util.function.Consumer<String> listener) {
        samplesAdded = Objects.requireNonNull(listener, "listener");
    }

    /** "Not X" and "ignore" on sightings, and the negative examples they keep. */
    public Corrections corrections() {
        return corrections;
    }

    /**
     * Names an unknown visitor: its faces (up to 10) become samples of the person. A name that is
     * already someone's adds to them only when {@code merge} says so; otherwise it is refused with
     * that person (two people may share a first name: the user decides).
     */
    public synchronized PeopleStore.PersonInfo nameVisitor(String visitorId, String name, boolean merge) {
        Optional<PeopleStore.PersonInfo> existing = people.byName(name);
        if (existing.isPresent() && !merge) {
            throw new io.camserver.store.NameTakenException(existing.get());
        }
        PeopleStore.PersonInfo p = existing.orElseGet(() -> people.findOrCreate(name));
        List<EventStore.Face> faces = events.visitors().faces(visitorId, 10);
        if (faces.isEmpty()) {
            throw new ConflictException("no visitor " + visitorId + " (or it has no faces left)");
        }
        for (EventStore.Face f : faces) {
            if (f.modelId().equals(modelId())) {
                people.addSample(p.id(), f.modelId(), f.embedding(), f.crop(), "visitor", f.eventId());
            }
        }
        events.visitors().name(visitorId, p.id());
        rebuild();
        samplesAdded.accept(p.id());
        return people.get(p.id()).orElseThrow();
    }

    /** Moves everything of one person to another and removes the first; the history then learns from the merged samples. */
    public synchronized PeopleStore.PersonInfo mergePerson(String id, String into) {
        PeopleStore.PersonInfo p = people.merge(id, into);
        rebuild();
        samplesAdded.accept(into);
        return p;
    }

    public synchronized boolean deletePerson(String id) {
        boolean gone = people.delete(id);
        rebuild();
        return gone;
    }

    public synchronized boolean deleteSample(String id) {
        boolean gone = people.deleteSample(id);
        rebuild();
        return gone;
    }

    /** Imports a demo-layout folder ({@code <dir>/<Person Name>/*.jpg}) into the database. */
    public synchronized FolderImport.Report importFolder(java.nio.file.Path dir) throws IOException {
        FolderImport.Report r = new FolderImport(analyzer, uploads).scan(dir);
        for (FolderImport.Enrolled e : r.enrolled()) {
            PeopleStore.PersonInfo p = people.findOrCreate(e.person().name());
            Mat img;
            try {
                img = uploads.decode(uploads.readFile(e.file()));
            } catch (ImageDecodeException ex) {
                continue; // scan() already decoded it once; a file changed under us is skipped
            }
            try (AlignedFace face = analyzer.align(img, e.face())) {
                people.addSample(p.id(), e.embedding().modelId(), e.embedding().unsafeVector(), cropEncoder.encode(face.pixels()), "import",
                        null, quality(e.face(), face));
            } finally {
                img.release();
            }
        }
        rebuild();
        return r;
    }

    /** Faces in a photo: identified, or the one to search the history by. */
    public PhotoFaces photos() {
        return photos;
    }
}
