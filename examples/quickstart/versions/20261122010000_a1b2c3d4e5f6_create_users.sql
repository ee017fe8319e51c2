-- migrate:revision a1b2c3d4e5f6
-- migrate:revises
-- migrate:message Create users
-- migrate:created 2026-11-22 01:00:00+00:00

-- migrate:up
CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text NOT NULL
);

-- migrate:down
DROP TABLE users;
