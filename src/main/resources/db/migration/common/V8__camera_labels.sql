-- v8: friendly names and locations of cameras, by camera id, for every kind of camera (registered,
-- from the config file, added through the API); kept when a camera re-registers or the server restarts.
CREATE TABLE camera_labels (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    location TEXT,
    updated_at BIGINT NOT NULL
);
