DROP VIEW cv;

-- WARNING: changes the type of b.n from TEXT to INT: stored values are converted from TEXT to INTEGER affinity
-- rebuild b: change column n (type TEXT to INT)
CREATE TABLE _migrate_new_b (
  id INTEGER PRIMARY KEY,
  a_id INTEGER,
  n INT,
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

-- WARNING: drops column a.y and its data
ALTER TABLE a DROP COLUMN y;

-- WARNING: drops table c and its rows
DROP TABLE c;
