ALTER TABLE users DROP COLUMN email_len;

-- WARNING: drops column users.nick and its data
ALTER TABLE users DROP COLUMN nick;

-- WARNING: drops column users.active and its data
ALTER TABLE users DROP COLUMN active;

-- WARNING: drops column users.name and its data
ALTER TABLE users DROP COLUMN name;
