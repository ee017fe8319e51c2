DROP INDEX ix_a;

CREATE UNIQUE INDEX _migrate_tmp_ix_b ON t (lower(y));

DROP INDEX ix_b;

CREATE INDEX ix_a ON t (x);

DROP INDEX _migrate_tmp_ix_b;

CREATE UNIQUE INDEX ix_b ON t (lower(y));
