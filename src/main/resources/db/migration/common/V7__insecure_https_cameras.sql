-- v7: an https:// camera added through the API may skip the certificate check (self-signed devices).
ALTER TABLE cameras ADD COLUMN insecure INTEGER NOT NULL DEFAULT 0;
