-- v3: scale-out that stays consistent (PostgreSQL numbers visitors from a sequence: postgres/V3.1).
-- gallery_version is bumped in the transaction of every change to people or samples, so each
-- replica can tell that its in-memory gallery is stale and reload it.
CREATE TABLE gallery_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO gallery_version (id, version) VALUES (1, 0);
-- Browser sessions (by the SHA-256 of their id, never the id) and login failures, shared by all
-- replicas: a login on one works on every other, a logout ends it everywhere, and guessing is
-- throttled across replicas. (On a single server they survive a restart.)
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
-- Where a replica's peers reach it (relayed camera streams; scale-out only).
ALTER TABLE cluster_members ADD COLUMN url TEXT;
