-- WARNING: drops column accounts.old_code and its data; drops column accounts.note and its data
-- rebuild accounts: drop unique (old_code); drop column old_code (in a unique key); drop column note (indexed by accounts_note)
CREATE TABLE _migrate_new_accounts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_accounts (id, user_id)
  SELECT id, user_id FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;

-- WARNING: drops column users.legacy and its data
ALTER TABLE users DROP COLUMN legacy;
