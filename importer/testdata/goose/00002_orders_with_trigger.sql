-- +goose Up
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    total numeric(12, 2) NOT NULL CHECK (total >= 0),
    updated_at timestamptz
);

-- +goose StatementBegin
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- +goose Down
-- +goose StatementBegin
DROP TRIGGER orders_touch ON orders;
-- +goose StatementEnd
DROP FUNCTION touch_updated_at();
DROP TABLE orders;
