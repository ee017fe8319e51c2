DROP INDEX events_kind;

CREATE INDEX events_payload ON events (json_extract(payload, '$.type'));

CREATE INDEX events_unseen ON events (kind) WHERE seen = 0;

-- rebuild logs: change column level (type INT to INTEGER)
CREATE TABLE _migrate_new_logs (
  id INTEGER PRIMARY KEY,
  event_id INTEGER,
  message TEXT,
  level INTEGER,
  FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_logs (id, event_id, message, level)
  SELECT id, event_id, message, level FROM logs;

DROP TABLE logs;

ALTER TABLE _migrate_new_logs RENAME TO logs;

CREATE INDEX logs_lower ON logs (lower(message), level DESC);

CREATE UNIQUE INDEX logs_msg ON logs (message COLLATE NOCASE) WHERE message IS NOT NULL;

CREATE INDEX logs_unseen ON logs (event_id) WHERE level > 2;
