BEGIN;
DROP TABLE product_tags;
DROP TABLE products;
COMMIT;
