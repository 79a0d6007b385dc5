-- v3: a gallery version bumped with every change to people or samples; sessions and login
-- failures in the database (they survive a restart); the members' peer URL (scale-out only).
-- Cluster numbers stay MAX+1: SQLite has one writer, the event recorder.
CREATE TABLE gallery_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO gallery_version (id, version) VALUES (1, 0);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  csrf TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE login_failures (
  address TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  blocked_until BIGINT NOT NULL,
  last_failure BIGINT NOT NULL
);
ALTER TABLE cluster_members ADD COLUMN url TEXT;
