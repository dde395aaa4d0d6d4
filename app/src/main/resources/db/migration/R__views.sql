-- Views over the raw MovieLens tables. Every view that depends on a raw_* table belongs here: an
-- ingestion drops the old tables (with their views) and swaps the new ones in, in one transaction
-- that runs this file again (org.recofilms.ingestion.StagingTables). Flyway runs it when it changes.

CREATE OR REPLACE VIEW raw.current_ratings AS
SELECT r."userId", r."movieId", r.rating, r."timestamp"
FROM raw.raw_ratings r
WHERE NOT EXISTS (
    SELECT 1 FROM raw.feedback_ratings f WHERE f."userId" = r."userId" AND f."movieId" = r."movieId")
UNION ALL
SELECT f."userId", f."movieId", f.rating, f."timestamp"
FROM raw.feedback_ratings f;

CREATE OR REPLACE VIEW raw.current_movies AS
SELECT m."movieId",
       m.title,
       m.genres,
       substring(m.title FROM '\((\d{4})\)\s*$')::integer AS year
FROM raw.raw_movies m;
