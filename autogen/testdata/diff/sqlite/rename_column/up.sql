DROP TRIGGER users_name_trim;

DROP VIEW user_names;

ALTER TABLE users RENAME COLUMN name TO full_name;

ALTER TABLE users RENAME COLUMN email TO mail;

CREATE VIEW user_names AS SELECT id, full_name FROM users;

CREATE TRIGGER users_name_trim AFTER UPDATE OF full_name ON users
BEGIN
  UPDATE users SET full_name = trim(new.full_name) WHERE id = new.id;
END;
