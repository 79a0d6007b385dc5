-- camserver schema v1 (PostgreSQL). Times are epoch milliseconds; embeddings are float32
-- little-endian; images are JPEG bytes kept with their rows, so deleting a row deletes them.
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX people_name ON people(name);

CREATE TABLE clusters (
  id TEXT PRIMARY KEY,
  number BIGINT NOT NULL UNIQUE,
  model_id TEXT NOT NULL,
  centroid BYTEA NOT NULL,
  sightings BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  camera_id TEXT NOT NULL,
  track_id BIGINT NOT NULL,
  person_id TEXT REFERENCES people(id) ON DELETE CASCADE,
  cluster_id TEXT REFERENCES clusters(id) ON DELETE SET NULL,
  similarity DOUBLE PRECISION NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  box TEXT NOT NULL,
  model_id TEXT NOT NULL,
  embedding BYTEA NOT NULL,
  crop BYTEA NOT NULL,
  thumbnail BYTEA NOT NULL,
  snapshot BYTEA NOT NULL,
  bytes BIGINT NOT NULL
);
CREATE INDEX events_first_seen ON events(first_seen);
CREATE INDEX events_person ON events(person_id);
CREATE INDEX events_camera ON events(camera_id);
CREATE INDEX events_cluster ON events(cluster_id);

CREATE TABLE samples (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  event_id TEXT REFERENCES events(id) ON DELETE SET NULL,
  model_id TEXT NOT NULL,
  embedding BYTEA NOT NULL,
  crop BYTEA NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX samples_person ON samples(person_id);
CREATE INDEX samples_event ON samples(event_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
