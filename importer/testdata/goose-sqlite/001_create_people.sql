-- +goose Up
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0
);

-- A trigger body holds semicolons: goose needs the block markers,
-- migrate's lexer does not.
-- +goose StatementBegin
CREATE TRIGGER people_count_changes AFTER UPDATE OF name ON people
BEGIN
    UPDATE people SET changes = changes + 1 WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER people_count_changes;
DROP TABLE people;
