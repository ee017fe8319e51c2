-- WARNING: sets NOT NULL on notes.title: fails if a row holds NULL
-- rebuild notes: change column title (NOT NULL, default)
CREATE TABLE _migrate_new_notes (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL DEFAULT '',
  body TEXT
);

INSERT INTO _migrate_new_notes (id, title, body)
  SELECT id, title, body FROM notes;

DROP VIEW note_titles;

DROP TABLE notes;

ALTER TABLE _migrate_new_notes RENAME TO notes;

CREATE VIEW note_titles AS SELECT n.id, n.title FROM notes AS n JOIN notes_fts AS f ON f.rowid = n.id;

CREATE TRIGGER notes_ai AFTER INSERT ON notes
BEGIN
  INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
