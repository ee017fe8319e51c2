-- +goose Up
ALTER TABLE things ADD COLUMN name text;
-- +goose Down
ALTER TABLE things DROP COLUMN name;
