-- rebuild logs: change column level (type INTEGER to INT)
CREATE TABLE _migrate_new_logs (
  id INTEGER PRIMARY KEY,
  event_id INTEGER,
  message TEXT,
  level INT,
  FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_logs (id, event_id, message, level)
  SELECT id, event_id, message, level FROM logs;

DROP TABLE logs;

ALTER TABLE _migrate_new_logs RENAME TO logs;

CREATE INDEX logs_lower ON logs (lower(message), level DESC);

CREATE UNIQUE INDEX logs_msg ON logs (message COLLATE NOCASE) WHERE message IS NOT NULL;

CREATE INDEX logs_unseen ON logs (event_id) WHERE level > 2;

DROP INDEX events_unseen;

DROP INDEX events_payload;

CREATE INDEX events_kind ON events (kind);
