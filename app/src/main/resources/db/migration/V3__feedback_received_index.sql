-- The api instances' catch-up reads the feedback received since a watermark every few seconds
-- (serving.HistoryService): an index keeps that read small however many ratings were sent.
CREATE INDEX feedback_ratings_received_idx ON raw.feedback_ratings (received_at);
