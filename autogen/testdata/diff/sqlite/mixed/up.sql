CREATE TABLE c (
  id INTEGER PRIMARY KEY,
  a_id INTEGER,
  FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE
);

ALTER TABLE a ADD COLUMN y INTEGER NOT NULL DEFAULT 0;

-- WARNING: changes the type of b.n from INT to TEXT: stored values are converted from INTEGER to TEXT affinity
-- rebuild b: change column n (type INT to TEXT)
CREATE TABLE _migrate_new_b (
  id INTEGER PRIMARY KEY,
  a_id INTEGER,
  n TEXT,
  FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_b (id, a_id, n)
  SELECT id, a_id, n FROM b;

DROP TRIGGER a_touch;

DROP VIEW bv;

DROP TABLE b;

ALTER TABLE _migrate_new_b RENAME TO b;

CREATE VIEW bv AS SELECT b.id, av.x FROM b JOIN av ON av.id = b.a_id;

CREATE TRIGGER a_touch AFTER UPDATE OF x ON a
BEGIN
  UPDATE b SET n = n WHERE a_id = new.id;
END;

CREATE VIEW cv AS SELECT c.id, b.n FROM c JOIN b USING (a_id);
