CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT,
  email TEXT NOT NULL UNIQUE,
  age TEXT
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  author_email TEXT REFERENCES users (email) ON UPDATE CASCADE ON DELETE CASCADE,
  title TEXT
);
CREATE INDEX users_name ON users (name);
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE TRIGGER users_name_trim AFTER UPDATE OF name ON users
BEGIN
  UPDATE users SET name = trim(new.name) WHERE id = new.id;
END;
