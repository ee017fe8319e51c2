-- migrate:revision aaaa00000001
-- migrate:revises
-- migrate:message create users
-- migrate:up
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
-- migrate:down
DROP TABLE users;
