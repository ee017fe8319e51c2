ALTER TABLE products DROP COLUMN currency;
DROP TYPE currency;
ALTER TABLE products DROP COLUMN price_cents;
