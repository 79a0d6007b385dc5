-- v2: scale-out coordination (PostgreSQL). Replicas heartbeat into
-- cluster_members; registrations reaching any replica are recorded here, and each camera is
-- pulled by the live replica that rendezvous hashing assigns it to.
CREATE TABLE cluster_members (
  name TEXT PRIMARY KEY,
  heartbeat_at BIGINT NOT NULL
);

CREATE TABLE registrations (
  camera_id TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  token TEXT NOT NULL,
  registered_at BIGINT NOT NULL
);
