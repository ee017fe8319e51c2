DROP TRIGGER users_name_trim;

DROP VIEW user_names;

ALTER TABLE users RENAME COLUMN name TO full_name;

ALTER TABLE users RENAME COLUMN email TO mail;

-- WARNING: sets NOT NULL on users.full_name: fails if a row holds NULL; changes the type of users.age from TEXT to INTEGER: stored values are converted from TEXT to INTEGER affinity
-- rebuild users: change column full_name (NOT NULL, default); change column age (type TEXT to INTEGER)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild users (children: posts)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_users (
  id INTEGER PRIMARY KEY,
  full_name TEXT NOT NULL DEFAULT '',
  mail TEXT NOT NULL,
  age INTEGER,
  UNIQUE (mail)
);

INSERT INTO _migrate_new_users (id, full_name, mail, age)
  SELECT id, full_name, mail, age FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;

CREATE INDEX users_name ON users (full_name);

CREATE VIEW user_names AS SELECT id, full_name FROM users;

CREATE TRIGGER users_name_trim AFTER UPDATE OF full_name ON users
BEGIN
  UPDATE users SET full_name = trim(new.full_name) WHERE id = new.id;
END;
