ALTER TABLE products ADD COLUMN price_cents integer NOT NULL DEFAULT 0;

-- A DO block: its BEGIN and END are PL/pgSQL, not transaction control.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'currency') THEN
        CREATE TYPE currency AS ENUM ('EUR', 'USD');
    END IF;
END
$$;

ALTER TABLE products ADD COLUMN currency currency NOT NULL DEFAULT 'EUR';
