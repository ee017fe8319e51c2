-- WARNING: sets NOT NULL on people.nickname: fails if a row holds NULL
-- rebuild people: change column nickname (NOT NULL); change column name (drop NOT NULL)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild people (children: pets)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_people (
  id INTEGER PRIMARY KEY,
  name TEXT,
  nickname TEXT NOT NULL
);

INSERT INTO _migrate_new_people (id, name, nickname)
  SELECT id, name, nickname FROM people;

DROP TABLE people;

ALTER TABLE _migrate_new_people RENAME TO people;
