-- rebuild users: drop unique (handle); add unique (email)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild users (children: sessions)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  handle TEXT,
  CONSTRAINT users_email_key UNIQUE (email COLLATE NOCASE)
);

INSERT INTO _migrate_new_users (id, email, handle)
  SELECT id, email, handle FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;
