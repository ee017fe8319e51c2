-- rebuild posts: add column slug (default is an expression)
CREATE TABLE _migrate_new_posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  title TEXT,
  slug TEXT NOT NULL DEFAULT (lower('untitled')),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_posts (id, user_id, title)
  SELECT id, user_id, title FROM posts;

DROP TABLE posts;

ALTER TABLE _migrate_new_posts RENAME TO posts;

CREATE INDEX posts_user ON posts (user_id);

-- rebuild users: add column created_at (default CURRENT_TIMESTAMP); add column domain (a STORED generated column)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild users (children: posts)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) STORED
);

INSERT INTO _migrate_new_users (id, email)
  SELECT id, email FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
