-- WARNING: changes the type of products.price from TEXT to NUMERIC: stored values are converted from TEXT to NUMERIC affinity
-- rebuild products: change column code (type TEXT to VARCHAR(20)); change column price (type TEXT to NUMERIC); change column qty (type INT to BIGINT)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild products (children: order_lines)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_products (
  id INTEGER PRIMARY KEY,
  code VARCHAR(20) NOT NULL,
  price NUMERIC,
  qty BIGINT
);

INSERT INTO _migrate_new_products (id, code, price, qty)
  SELECT id, code, price, qty FROM products;

DROP TABLE products;

ALTER TABLE _migrate_new_products RENAME TO products;
