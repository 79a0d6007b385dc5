-- v6: cameras added at run time through the API (config-file and self-registered cameras are not
-- stored here). The URL is kept without credentials; they sit in their own columns so that no
-- listing of URLs can carry them. Shared by every replica of a scale-out.
CREATE TABLE cameras (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    fps REAL NOT NULL,
    transport TEXT NOT NULL,
    interval_ms INTEGER NOT NULL,
    username TEXT,
    password TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
