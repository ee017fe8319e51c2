CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT,
  seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_unseen ON events (kind) WHERE seen = 0;
CREATE INDEX events_payload ON events (json_extract(payload, '$.type'));
CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  event_id INTEGER REFERENCES events (id) ON DELETE CASCADE,
  message TEXT,
  level INTEGER
);
CREATE INDEX logs_unseen ON logs (event_id) WHERE level > 2;
CREATE INDEX logs_lower ON logs (lower(message), level DESC);
CREATE UNIQUE INDEX logs_msg ON logs (message COLLATE NOCASE) WHERE message IS NOT NULL;
