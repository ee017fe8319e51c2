-- migrate:renamed_from b
CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, qty INTEGER);
-- migrate:renamed_from a
CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
CREATE TABLE y (id INTEGER PRIMARY KEY, v TEXT); -- migrate:renamed_from x
CREATE TABLE z (id INTEGER PRIMARY KEY, w INTEGER); -- migrate:renamed_from y
CREATE INDEX y_w ON z (w);
