-- rebuild settings: change column locale (default); change column theme (default); change column level (default)
CREATE TABLE _migrate_new_settings (
  id INTEGER PRIMARY KEY,
  level INTEGER NOT NULL DEFAULT 0,
  theme TEXT,
  locale TEXT DEFAULT 'en'
);

INSERT INTO _migrate_new_settings (id, level, theme, locale)
  SELECT id, level, theme, locale FROM settings;

DROP TABLE settings;

ALTER TABLE _migrate_new_settings RENAME TO settings;
