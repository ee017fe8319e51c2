-- No down file: golang-migrate runs nothing for it when migrating down.
COMMENT ON TABLE products IS 'what the shop sells';
