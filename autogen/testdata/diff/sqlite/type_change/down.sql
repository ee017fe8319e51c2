-- WARNING: changes the type of products.price from NUMERIC to TEXT: stored values are converted from NUMERIC to TEXT affinity
-- rebuild products: change column qty (type BIGINT to INT); change column price (type NUMERIC to TEXT); change column code (type VARCHAR(20) to TEXT)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild products (children: order_lines)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_products (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  price TEXT,
  qty INT
);

INSERT INTO _migrate_new_products (id, code, price, qty)
  SELECT id, code, price, qty FROM products;

DROP TABLE products;

ALTER TABLE _migrate_new_products RENAME TO products;
