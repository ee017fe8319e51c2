ALTER TABLE users DROP COLUMN domain;

-- WARNING: drops column users.created_at and its data
ALTER TABLE users DROP COLUMN created_at;

-- WARNING: drops column posts.slug and its data
ALTER TABLE posts DROP COLUMN slug;
