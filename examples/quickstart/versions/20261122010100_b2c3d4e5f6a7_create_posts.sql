-- migrate:revision b2c3d4e5f6a7
-- migrate:revises a1b2c3d4e5f6
-- migrate:message Create posts
-- migrate:created 2026-11-22 01:01:00+00:00

-- migrate:up
CREATE TABLE posts (
    id integer PRIMARY KEY,
    author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    body text NOT NULL DEFAULT ''
);
CREATE INDEX posts_author_id_idx ON posts (author_id);

-- migrate:down
DROP INDEX posts_author_id_idx;
DROP TABLE posts;
