DROP TRIGGER users_name_trim;

DROP VIEW user_names;

ALTER TABLE users RENAME COLUMN mail TO email;

ALTER TABLE users RENAME COLUMN full_name TO name;

-- WARNING: changes the type of users.age from INTEGER to TEXT: stored values are converted from INTEGER to TEXT affinity
-- rebuild users: change column age (type INTEGER to TEXT); change column full_name (drop NOT NULL, default)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild users (children: posts)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_users (
  id INTEGER PRIMARY KEY,
  name TEXT,
  email TEXT NOT NULL,
  age TEXT,
  UNIQUE (email)
);

INSERT INTO _migrate_new_users (id, name, email, age)
  SELECT id, name, email, age FROM users;

DROP TABLE users;

ALTER TABLE _migrate_new_users RENAME TO users;

CREATE INDEX users_name ON users (name);

CREATE VIEW user_names AS SELECT id, name FROM users;

CREATE TRIGGER users_name_trim AFTER UPDATE OF name ON users
BEGIN
  UPDATE users SET name = trim(new.name) WHERE id = new.id;
END;
