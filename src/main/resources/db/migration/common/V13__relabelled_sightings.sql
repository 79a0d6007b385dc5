-- v13: history that learns. A sighting recorded as unknown and named later, when samples added to
-- a person made it match, keeps when that happened (NULL: named, or not, when it was seen).
ALTER TABLE events ADD COLUMN relabelled_at BIGINT;
