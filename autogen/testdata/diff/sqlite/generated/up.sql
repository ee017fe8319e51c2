-- WARNING: changes the type of items.price from INTEGER to NUMERIC: stored values are converted from INTEGER to NUMERIC affinity
-- rebuild items: change column price (type INTEGER to NUMERIC)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild items (children: item_notes)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_items (
  id INTEGER PRIMARY KEY,
  price NUMERIC NOT NULL,
  qty INTEGER NOT NULL DEFAULT 1,
  total INTEGER GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS ('#' || id) VIRTUAL,
  double_qty INTEGER GENERATED ALWAYS AS (qty * 2) VIRTUAL
);

INSERT INTO _migrate_new_items (id, price, qty)
  SELECT id, price, qty FROM items;

DROP TABLE items;

ALTER TABLE _migrate_new_items RENAME TO items;

CREATE INDEX items_total ON items (total);
