-- A timestamped version after sequential ones (goose's hybrid versioning).
-- +goose up
CREATE TYPE order_status AS ENUM ('open', 'paid', 'shipped');
ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'open';
COMMENT ON COLUMN orders.status IS 'where the order is; see docs/orders.md';

-- +goose down
ALTER TABLE orders DROP COLUMN status;
DROP TYPE order_status;
