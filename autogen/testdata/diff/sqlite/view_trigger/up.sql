DROP TRIGGER film_list_ins;

DROP VIEW stock;

DROP VIEW film_count;

DROP VIEW film_list;

-- rebuild film: change column title (type TEXT to VARCHAR(255)); add check (rating IN ('G', 'PG', 'R'))
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild film (children: inventory)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_film (
  film_id INTEGER PRIMARY KEY,
  title VARCHAR(255) NOT NULL,
  rating TEXT,
  last_update TEXT NOT NULL DEFAULT '2000-01-01',
  CHECK (rating IN ('G', 'PG', 'R'))
);

INSERT INTO _migrate_new_film (film_id, title, rating, last_update)
  SELECT film_id, title, rating, last_update FROM film;

DROP TRIGGER inventory_ai;

DROP VIEW film_ids;

DROP VIEW film_id_count;

DROP TABLE film;

ALTER TABLE _migrate_new_film RENAME TO film;

CREATE VIEW film_id_count AS SELECT count(*) AS n FROM film_ids;

CREATE VIEW film_ids AS SELECT film_id FROM film;

CREATE TRIGGER film_ai AFTER INSERT ON film
BEGIN
  UPDATE film SET last_update = last_update || '+ai' WHERE rowid = new.rowid;
  INSERT INTO audit (what) VALUES ('film ' || new.film_id);
END;

CREATE TRIGGER film_au AFTER UPDATE ON film
BEGIN
  UPDATE film SET last_update = last_update || '+au' WHERE rowid = new.rowid;
END;

CREATE TRIGGER film_ids_del INSTEAD OF DELETE ON film_ids
BEGIN
  DELETE FROM film WHERE film_id = old.film_id;
END;

CREATE TRIGGER inventory_ai AFTER INSERT ON inventory
BEGIN
  UPDATE film SET title = title WHERE film_id = new.film_id;
END;

CREATE VIEW film_list AS SELECT film_id, title, rating FROM film;

CREATE VIEW film_count AS SELECT count(*) AS n FROM film_list;

CREATE VIEW stock AS SELECT f.title, count(i.inventory_id) AS copies FROM film AS f LEFT JOIN inventory AS i USING (film_id) GROUP BY f.film_id;

CREATE TRIGGER film_list_ins INSTEAD OF INSERT ON film_list
BEGIN
  INSERT INTO film (film_id, title, rating) VALUES (new.film_id, new.title, new.rating);
END;
