-- v4: the settings table of v1 was never used: configuration lives in the config file and the
-- environment, never in the database.
DROP TABLE settings;
