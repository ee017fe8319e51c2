CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) STORED
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT,
  slug TEXT NOT NULL DEFAULT (lower('untitled'))
);
CREATE INDEX posts_user ON posts (user_id);
