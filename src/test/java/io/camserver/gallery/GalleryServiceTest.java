package io.camserver.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.image.ImageDecoder;
import io.camserver.image.ImageLimits;
import io.camserver.store.ConflictException;
import io.camserver.store.Database;
import io.camserver.store.EventStore;
import io.camserver.store.PeopleStore;
import io.camserver.support.Fixtures;
import io.camserver.vision.EmbedderConfig;
import io.camserver.vision.FaceAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery's rules on their own (a SQLite file, the real models, no server): what an enrollment
 * answers for each kind of photo, the live gallery following every change, names kept unique, an
 * unlike sample flagged, identify on a group photo.
 */
class GalleryServiceTest {
    @TempDir
    Path dir;
    private Database db;
    private FaceAnalyzer analyzer;
    private GalleryService gallery;
    private LiveGallery live;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        analyzer = Fixtures.analyzer(Fixtures.stillModels());
        MatchConfig match = new MatchConfig(EmbedderConfig.Kind.FR_FEATURE.defaultThreshold(), 0.05f);
        live = new LiveGallery(EmbeddingIndex.builder(analyzer.embedderModelId(), match).build());
        gallery = new GalleryService(new PeopleStore(db), new EventStore(db), new io.camserver.store.NegativeStore(db), analyzer, live, match, new ImageDecoder(ImageLimits.DEFAULT));
    }

    @AfterEach
    void close() {
        analyzer.close();
        db.close();
    }

    private static byte[] photo(String person, int n) throws Exception {
        return Files.readAllBytes(Fixtures.person(person, n));
    }

    private GalleryService.Added enroll(String personId, String person, int n) throws Exception {
        return assertInstanceOf(GalleryService.Added.class, gallery.enroll(personId, photo(person, n), Optional.empty(), "upload"));
    }

    @Test
    void enrolledPeopleAreMatchedLiveAndForgottenWhenDeleted() throws Exception {
        PeopleStore.PersonInfo penny = gallery.createPerson("Penny");
        enroll(penny.id(), "penny", 1);
        enroll(penny.id(), "penny", 2);
        assertEquals(1, live.size(), "the live gallery follows the enrollment");
        org.opencv.core.Mat third = new ImageDecoder(ImageLimits.DEFAULT).decode(photo("penny", 3));
        try {
            Match m = live.match(analyzer.analyze(third).get(0).embedding());
            assertEquals(Optional.of("Penny"), m.person().map(Person::name), "a third photo of her is named: " + m);
        } finally {
            third.release();
        }

        assertTrue(gallery.deletePerson(penny.id()));
        assertEquals(0, live.size());
    }

    @Test
    void eachKindOfPhotoGetsItsAnswer() throws Exception {
        PeopleStore.PersonInfo amy = gallery.createPerson("Amy");
        assertInstanceOf(GalleryService.NoFace.class,
                gallery.enroll(amy.id(), Files.readAllBytes(Fixtures.faces().resolve("negatives/white.png")), Optional.empty(), "upload"));
        assertInstanceOf(GalleryService.BadImage.class, gallery.enroll(amy.id(), new byte[] {1, 2, 3}, Optional.empty(), "upload"));
        byte[] group = Files.readAllBytes(Fixtures.faces().resolve("scenes/group-4.jpg"));
        GalleryService.SeveralFaces several = assertInstanceOf(GalleryService.SeveralFaces.class,
                gallery.enroll(amy.id(), group, Optional.empty(), "upload"));
        assertTrue(several.faces().size() >= 4, "every face offered: " + several.faces());
        assertInstanceOf(GalleryService.Added.class, gallery.enroll(amy.id(), group, Optional.of(0), "upload"), "one picked by index");
    }

    @Test
    void aSampleUnlikeThePersonsOthersIsKeptAndFlagged() throws Exception {
        PeopleStore.PersonInfo sheldon = gallery.createPerson("Sheldon");
        enroll(sheldon.id(), "sheldon", 1);
        assertFalse(enroll(sheldon.id(), "sheldon", 2).consistency().orElseThrow().outlier(), "his own face is consistent");
        GalleryService.Added wrong = enroll(sheldon.id(), "howard", 1);
        assertTrue(wrong.consistency().orElseThrow().outlier(), "someone else's face is flagged");
        assertTrue(wrong.consistency().orElseThrow().warning().isPresent());
        assertEquals(3, gallery.people().samples(sheldon.id()).size(), "and kept: the user decides");
    }

    @Test
    void namesAreUniqueIgnoringCaseAndSurroundingSpaces() {
        PeopleStore.PersonInfo raj = gallery.createPerson("Raj");
        PeopleStore.PersonInfo other = gallery.createPerson("Stuart");
        for (String again : java.util.List.of("Raj", "raj", "  RAJ ")) {
            io.camserver.store.NameTakenException e = assertThrows(io.camserver.store.NameTakenException.class, () -> gallery.createPerson(again));
            assertEquals(raj.id(), e.existing().id(), "the existing person is named: " + again);
        }
        assertThrows(io.camserver.store.NameTakenException.class, () -> gallery.renamePerson(other.id(), "raj"));
        assertEquals("Stuart Bloom", gallery.renamePerson(other.id(), "Stuart Bloom").name());
        assertEquals("raj", gallery.renamePerson(raj.id(), "raj").name(), "a person may change the case of their own name");
    }
}
