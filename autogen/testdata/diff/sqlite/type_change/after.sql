CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  code VARCHAR(20) NOT NULL,
  price NUMERIC,
  qty BIGINT
);
CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  qty INT NOT NULL
);
CREATE INDEX order_lines_product ON order_lines (product_id);
