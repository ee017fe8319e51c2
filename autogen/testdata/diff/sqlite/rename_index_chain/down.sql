DROP INDEX s_y;

CREATE INDEX s_x ON t (x);

DROP INDEX s_z;

CREATE INDEX s_y ON t (y);

DROP INDEX s_w;

CREATE UNIQUE INDEX s_z ON t (lower(z));
