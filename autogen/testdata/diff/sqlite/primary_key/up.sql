-- rebuild memberships: add primary key (group_id, user_id)
CREATE TABLE _migrate_new_memberships (
  group_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role TEXT,
  PRIMARY KEY (group_id, user_id)
);

INSERT INTO _migrate_new_memberships (rowid, group_id, user_id, role)
  SELECT rowid, group_id, user_id, role FROM memberships;

DROP TABLE memberships;

ALTER TABLE _migrate_new_memberships RENAME TO memberships;

-- rebuild tags: drop primary key (id); change column id (NOT NULL); add unique (id)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild tags (children: post_tags)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_tags (
  id INTEGER NOT NULL,
  label TEXT NOT NULL,
  UNIQUE (id)
);

INSERT INTO _migrate_new_tags (rowid, id, label)
  SELECT rowid, id, label FROM tags;

DROP TABLE tags;

ALTER TABLE _migrate_new_tags RENAME TO tags;
