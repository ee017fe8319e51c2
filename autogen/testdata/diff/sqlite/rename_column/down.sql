DROP TRIGGER users_name_trim;

DROP VIEW user_names;

ALTER TABLE users RENAME COLUMN mail TO email;

ALTER TABLE users RENAME COLUMN full_name TO name;

CREATE VIEW user_names AS SELECT id, name FROM users;

CREATE TRIGGER users_name_trim AFTER UPDATE OF name ON users
BEGIN
  UPDATE users SET name = trim(new.name) WHERE id = new.id;
END;
