-- rebuild settings: change column level (default); change column theme (default); change column locale (default)
CREATE TABLE _migrate_new_settings (
  id INTEGER PRIMARY KEY,
  level INTEGER NOT NULL DEFAULT 1,
  theme TEXT DEFAULT 'dark',
  locale TEXT
);

INSERT INTO _migrate_new_settings (id, level, theme, locale)
  SELECT id, level, theme, locale FROM settings;

DROP TABLE settings;

ALTER TABLE _migrate_new_settings RENAME TO settings;
