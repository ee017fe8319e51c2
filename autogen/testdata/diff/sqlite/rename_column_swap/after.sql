CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  b INTEGER NOT NULL, -- migrate:renamed_from a
  a TEXT, -- migrate:renamed_from b
  d INTEGER, -- migrate:renamed_from c
  e TEXT -- migrate:renamed_from d
);
CREATE INDEX t_a ON t (b);
