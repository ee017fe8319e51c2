CREATE TABLE settings (
  id INTEGER PRIMARY KEY,
  level INTEGER NOT NULL DEFAULT 1,
  theme TEXT DEFAULT 'dark',
  locale TEXT
);
