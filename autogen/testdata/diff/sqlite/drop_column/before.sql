CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  legacy TEXT
);
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  old_code TEXT UNIQUE,
  note TEXT
);
CREATE INDEX accounts_note ON accounts (note);
