DROP INDEX s_z;

CREATE UNIQUE INDEX s_w ON t (lower(z));

DROP INDEX s_y;

CREATE INDEX s_z ON t (y);

DROP INDEX s_x;

CREATE INDEX s_y ON t (x);
