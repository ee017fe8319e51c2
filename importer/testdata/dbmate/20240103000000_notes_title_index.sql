-- migrate:up transaction:false
CREATE INDEX notes_title_idx ON notes (title COLLATE NOCASE);
-- migrate:down transaction:false
DROP INDEX notes_title_idx;
