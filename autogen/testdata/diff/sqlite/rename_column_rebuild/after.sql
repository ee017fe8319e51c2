CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  full_name TEXT NOT NULL DEFAULT '', -- migrate:renamed_from name
  mail TEXT NOT NULL UNIQUE, -- migrate:renamed_from email
  age INTEGER
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_email TEXT REFERENCES users (mail) ON UPDATE CASCADE ON DELETE CASCADE,
  title TEXT
);
CREATE INDEX users_name ON users (full_name);
CREATE VIEW user_names AS SELECT id, full_name FROM users;
CREATE TRIGGER users_name_trim AFTER UPDATE OF full_name ON users
BEGIN
  UPDATE users SET full_name = trim(new.full_name) WHERE id = new.id;
END;
