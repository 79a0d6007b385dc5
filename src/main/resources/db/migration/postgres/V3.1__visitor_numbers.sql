-- v3, PostgreSQL only: visitor numbers (table clusters) from a sequence, so two replicas
-- creating a visitor at once get two numbers. SQLite has one writer and keeps MAX+1.
CREATE SEQUENCE cluster_numbers;
SELECT setval('cluster_numbers', COALESCE((SELECT MAX(number) FROM clusters), 0) + 1, false);
