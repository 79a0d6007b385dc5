package io.camserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camserver.support.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store on both databases it supports, checked by reading the tables directly. */
class StoreTest {
    private static final AtomicInteger DB = new AtomicInteger();

    @TempDir
    Path tmp;

    private Database open(String kind) throws Exception {
        return kind.equals("sqlite") ? Database.sqlite(tmp) : Database.postgres(PostgresServer.shared().newDatabase("store" + DB.incrementAndGet()),
                "camserver", "");
    }

    static long count(Database db, String sql, String arg) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static float[] vec(float x) {
        float[] v = new float[512];
        v[0] = x;
        v[1] = (float) Math.sqrt(1 - x * x);
        return v;
    }

    private static EventStore.NewEvent event(String camera, String personId, String visitorId, long t, int imageBytes) {
        return new EventStore.NewEvent(java.util.UUID.randomUUID().toString(), camera, 1, personId, visitorId, 0.7f, t, t + 1000, new int[] {1, 2, 3, 4}, "m", vec(0.5f),
                new byte[imageBytes], new byte[imageBytes], new byte[imageBytes], new EventStore.Quality(120, 300, 12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void peopleSamplesAndNames(String kind) throws Exception {
        try (Database db = open(kind)) {
            PeopleStore people = new PeopleStore(db);
            PeopleStore.PersonInfo amy = people.create("  Amy Farrah Fowler ");
            assertEquals("Amy Farrah Fowler", amy.name());
            assertEquals("a person named 'Amy Farrah Fowler' already exists",
                    assertThrows(NameTakenException.class, () -> people.create("amy farrah fowler")).getMessage());
            people.addSample(amy.id(), "m", vec(0.9f), new byte[] {1, 2, 3}, "upload", null);
            people.addSample(amy.id(), "old-model", vec(0.8f), new byte[] {4}, "upload", null);
            assertEquals(2, people.list().get(0).samples());
            assertEquals(1, people.samplesOf("m").size());
            assertEquals(0.9f, people.samplesOf("m").get(0).embedding()[0], 1e-6);
            assertEquals(1, people.samplesNotOf("m").size(), "samples of another model are found for re-embedding");
            PeopleStore.PersonInfo renamed = people.rename(amy.id(), "Amy");
            assertEquals("Amy", renamed.name());
            assertEquals("no person nope", assertThrows(ConflictException.class,
                    () -> people.addSample("nope", "m", vec(1), new byte[1], "x", null)).getMessage());
            assertEquals("name must not be empty", assertThrows(IllegalArgumentException.class, () -> people.create(" ")).getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deletingAPersonLeavesNothingOfThemBehind(String kind) throws Exception {
        try (Database db = open(kind)) {
            PeopleStore people = new PeopleStore(db);
            EventStore events = new EventStore(db);
            PeopleStore.PersonInfo raj = people.create("raj");
            PeopleStore.PersonInfo other = people.create("penny");
            String e1 = events.insert(event("door", raj.id(), null, 1000, 100));
            events.insert(event("door", other.id(), null, 2000, 100));
            people.addSample(raj.id(), "m", vec(0.9f), new byte[50], "upload", null);
            people.addSample(raj.id(), "m", vec(0.9f), new byte[50], "event", e1);
            assertTrue(people.delete(raj.id()));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM people WHERE id = ?", raj.id()));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM samples WHERE person_id = ?", raj.id()));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM events WHERE person_id = ?", raj.id()));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM events WHERE id = ?", e1));
            assertEquals(1, count(db, "SELECT COUNT(*) FROM events", null), "other people's events stay");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void retentionByAgeAndByTotalSize(String kind) throws Exception {
        try (Database db = open(kind)) {
            EventStore events = new EventStore(db);
            VisitorStore.VisitorInfo k = events.visitors().create("m", vec(1), 0);
            long now = 10_000_000;
            events.insert(event("door", null, k.id(), now - 9_000_000, 1000)); // too old
            for (int i = 0; i < 5; i++) {
                events.insert(event("door", null, null, now - 1000 * (5 - i), 1000));
            }
            assertEquals(6, events.count());
            int gone = events.enforceRetention(Duration.ofMillis(8_000_000), Long.MAX_VALUE, now);
            assertEquals(1, gone);
            assertEquals(0, events.visitors().list("m").size(), "a visitor left without events goes too");
            long perEvent = events.totalBytes() / 5;
            gone = events.enforceRetention(Duration.ofDays(1), perEvent * 3, now);
            assertEquals(2, gone);
            assertTrue(events.totalBytes() <= perEvent * 3);
            List<EventStore.EventInfo> left = events.search(EventStore.Filter.all(10));
            assertEquals(3, left.size());
            assertTrue(left.stream().allMatch(e -> e.firstSeen() >= now - 3000), "the oldest went first");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void searchByPersonCameraAndTime(String kind) throws Exception {
        try (Database db = open(kind)) {
            PeopleStore people = new PeopleStore(db);
            EventStore events = new EventStore(db);
            String amy = people.create("amy").id();
            events.insert(event("door", amy, null, 1000, 10));
            events.insert(event("yard", amy, null, 5000, 10));
            events.insert(event("yard", null, null, 9000, 10));
            assertEquals(2, events.search(new EventStore.Filter(Optional.of(amy), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, 10)).size());
            assertEquals(2, events.search(new EventStore.Filter(Optional.empty(), Optional.of("yard"), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, 10)).size());
            assertEquals(1, events.search(new EventStore.Filter(Optional.empty(), Optional.empty(), Optional.of(4000L), Optional.of(7000L),
                    Optional.empty(), false, 10)).size());
            List<EventStore.EventInfo> unknown = events.search(new EventStore.Filter(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), true, 10));
            assertEquals(1, unknown.size());
            assertEquals(Optional.of("amy"), events.search(EventStore.Filter.all(10)).get(1).personName());
            EventStore.EventInfo latest = events.search(EventStore.Filter.all(10)).get(0);
            assertEquals(Optional.of(new EventStore.Quality(120, 300, 12)), latest.quality(), "the decided view's quality is kept");
            events.quality(latest.id(), new EventStore.Quality(200, 800, 3));
            assertEquals(Optional.of(new EventStore.Quality(200, 800, 3)), events.search(EventStore.Filter.all(10)).get(0).quality(),
                    "a later decision records its own view");
        }
    }
}
