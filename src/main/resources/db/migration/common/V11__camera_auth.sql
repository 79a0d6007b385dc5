-- v11: which HTTP authentication a camera's password may be sent with: auto (Digest, or Basic over
-- https only) or basic (Basic over plain http too, for a camera that knows nothing else).
ALTER TABLE cameras ADD COLUMN auth TEXT NOT NULL DEFAULT 'auto';
