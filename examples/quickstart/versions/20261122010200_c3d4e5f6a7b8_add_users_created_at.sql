-- migrate:revision c3d4e5f6a7b8
-- migrate:revises b2c3d4e5f6a7
-- migrate:message Add users.created_at
-- migrate:created 2026-11-22 01:02:00+00:00

-- migrate:up
ALTER TABLE users ADD COLUMN created_at timestamp;

-- migrate:down
ALTER TABLE users DROP COLUMN created_at;
