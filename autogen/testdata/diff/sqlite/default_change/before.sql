CREATE TABLE settings (
  id INTEGER PRIMARY KEY,
  level INTEGER NOT NULL DEFAULT 0,
  theme TEXT,
  locale TEXT DEFAULT 'en'
);
