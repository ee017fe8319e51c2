ALTER TABLE users ADD COLUMN legacy TEXT;

-- rebuild accounts: add column old_code (in a unique key); add unique (old_code)
CREATE TABLE _migrate_new_accounts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER,
  old_code TEXT,
  note TEXT,
  UNIQUE (old_code),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_accounts (id, user_id)
  SELECT id, user_id FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;

CREATE INDEX accounts_note ON accounts (note);
