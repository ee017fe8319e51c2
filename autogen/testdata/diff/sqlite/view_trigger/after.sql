CREATE TABLE film (
  film_id INTEGER PRIMARY KEY,
  title VARCHAR(255) NOT NULL,
  rating TEXT CHECK (rating IN ('G', 'PG', 'R')),
  last_update TEXT NOT NULL DEFAULT '2000-01-01'
);
CREATE TABLE inventory (
  inventory_id INTEGER PRIMARY KEY,
  film_id INTEGER NOT NULL REFERENCES film (film_id) ON DELETE CASCADE ON UPDATE CASCADE,
  last_update TEXT NOT NULL DEFAULT '2000-01-01'
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  what TEXT
);
CREATE TRIGGER film_ai AFTER INSERT ON film
BEGIN
  UPDATE film SET last_update = last_update || '+ai' WHERE rowid = new.rowid;
  INSERT INTO audit (what) VALUES ('film ' || new.film_id);
END;
CREATE TRIGGER film_au AFTER UPDATE ON film
BEGIN
  UPDATE film SET last_update = last_update || '+au' WHERE rowid = new.rowid;
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
CREATE VIEW film_ids AS SELECT film_id FROM film;
CREATE VIEW film_id_count AS SELECT count(*) AS n FROM film_ids;
CREATE TRIGGER film_ids_del INSTEAD OF DELETE ON film_ids
BEGIN
  DELETE FROM film WHERE film_id = old.film_id;
END;
