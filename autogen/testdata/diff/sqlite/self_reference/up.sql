-- WARNING: sets NOT NULL on categories.name: fails if a row holds NULL
-- rebuild categories: change column name (NOT NULL, default)
CREATE TABLE _migrate_new_categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER,
  name TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (parent_id) REFERENCES categories (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_categories (id, parent_id, name)
  SELECT id, parent_id, name FROM categories;

DROP TABLE categories;

ALTER TABLE _migrate_new_categories RENAME TO categories;

-- rebuild employees: add foreign key (manager_id) to employees
CREATE TABLE _migrate_new_employees (
  id INTEGER PRIMARY KEY,
  manager_id INTEGER,
  name TEXT NOT NULL,
  FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL
);

INSERT INTO _migrate_new_employees (id, manager_id, name)
  SELECT id, manager_id, name FROM employees;

DROP TABLE employees;

ALTER TABLE _migrate_new_employees RENAME TO employees;
