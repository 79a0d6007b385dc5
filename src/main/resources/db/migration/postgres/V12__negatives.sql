-- v12: corrections that stick. A negative example is a face the user said is not this person
-- ("not X" on a sighting): a face closer to X's negatives than to X's samples is never named X.
-- A row with no person is a face to ignore (a poster, a television): recorded, never announced.
CREATE TABLE negatives (
  id TEXT PRIMARY KEY,
  person_id TEXT REFERENCES people(id) ON DELETE CASCADE,
  event_id TEXT REFERENCES events(id) ON DELETE SET NULL,
  model_id TEXT NOT NULL,
  embedding BYTEA NOT NULL,
  crop BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX negatives_person ON negatives(person_id);
