DROP INDEX ix_x;

DROP INDEX ix_w;

DROP INDEX c_old;

CREATE INDEX ix_w ON c_tab (v);

CREATE INDEX ix_x ON a_tab (x);
