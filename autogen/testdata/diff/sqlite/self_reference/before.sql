CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories (id) ON DELETE CASCADE,
  name TEXT
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  manager_id INTEGER,
  name TEXT NOT NULL
);
