-- WARNING: changes the type of orders.total from REAL to INTEGER: stored values are converted from REAL to INTEGER affinity
-- rebuild orders: change column total (type REAL to INTEGER); change column customer (drop NOT NULL, default)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild orders (children: order_items)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer TEXT,
  total INTEGER
);

INSERT INTO _migrate_new_orders (id, customer, total)
  SELECT id, customer, total FROM orders;

DELETE FROM sqlite_sequence WHERE name = '_migrate_new_orders';

UPDATE sqlite_sequence SET name = '_migrate_new_orders' WHERE name = 'orders' COLLATE NOCASE;

DROP TABLE orders;

ALTER TABLE _migrate_new_orders RENAME TO orders;

-- rebuild notes: change column id (AUTOINCREMENT)
CREATE TABLE _migrate_new_notes (
  id INTEGER PRIMARY KEY,
  body TEXT
);

INSERT INTO _migrate_new_notes (id, body)
  SELECT id, body FROM notes;

DROP TABLE notes;

ALTER TABLE _migrate_new_notes RENAME TO notes;
