DROP INDEX ix_x;

DROP INDEX ix_w;

CREATE INDEX c_old ON c_tab (v);

CREATE INDEX ix_w ON d_tab (w);

CREATE INDEX ix_x ON b_tab (x);
