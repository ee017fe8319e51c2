-- rebuild notes: change column id (AUTOINCREMENT)
CREATE TABLE _migrate_new_notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  body TEXT
);

INSERT INTO _migrate_new_notes (id, body)
  SELECT id, body FROM notes;

DROP TABLE notes;

ALTER TABLE _migrate_new_notes RENAME TO notes;

-- WARNING: sets NOT NULL on orders.customer: fails if a row holds NULL; changes the type of orders.total from INTEGER to REAL: stored values are converted from INTEGER to REAL affinity
-- rebuild orders: change column customer (NOT NULL, default); change column total (type INTEGER to REAL)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild orders (children: order_items)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer TEXT NOT NULL DEFAULT 'unknown',
  total REAL
);

INSERT INTO _migrate_new_orders (id, customer, total)
  SELECT id, customer, total FROM orders;

DELETE FROM sqlite_sequence WHERE name = '_migrate_new_orders';

UPDATE sqlite_sequence SET name = '_migrate_new_orders' WHERE name = 'orders' COLLATE NOCASE;

DROP TABLE orders;

ALTER TABLE _migrate_new_orders RENAME TO orders;
