-- v10: what tells a start that the admin password changed since the last one (its salt and PBKDF2
-- hash, never the password), so that every session made with the old password ends. One row.
CREATE TABLE admin_verifier (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  verifier TEXT NOT NULL,
  changed_at BIGINT NOT NULL
);
