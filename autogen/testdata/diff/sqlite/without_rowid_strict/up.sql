-- WARNING: sets NOT NULL on kv.k: fails if a row holds NULL; makes kv STRICT: fails if a value does not fit its column's type; creates STRICT table kv, which SQLite before 3.37 refuses ([models] sqlite_version is 3.35.0)
-- rebuild kv: change column k (NOT NULL); make it WITHOUT ROWID; make it STRICT
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild kv (children: readings)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_kv (
  k TEXT PRIMARY KEY NOT NULL,
  v TEXT
) WITHOUT ROWID, STRICT;

INSERT INTO _migrate_new_kv (k, v)
  SELECT k, v FROM kv;

DROP TABLE kv;

ALTER TABLE _migrate_new_kv RENAME TO kv;

-- rebuild measurements: make it not STRICT
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild measurements (children: readings)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_measurements (
  id INTEGER PRIMARY KEY,
  sensor TEXT NOT NULL,
  value REAL
);

INSERT INTO _migrate_new_measurements (id, sensor, value)
  SELECT id, sensor, value FROM measurements;

DROP TABLE measurements;

ALTER TABLE _migrate_new_measurements RENAME TO measurements;
