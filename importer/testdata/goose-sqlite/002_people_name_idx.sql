-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX people_name_idx ON people (name COLLATE NOCASE);
-- +goose Down
DROP INDEX people_name_idx;
