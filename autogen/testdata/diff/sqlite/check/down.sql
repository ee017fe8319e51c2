-- rebuild accounts: drop check accounts_small; drop check (balance >= 0); drop check accounts_kind; add check accounts_kind; add check (id > 0); add check (balance >= -100)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild accounts (children: entries)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_accounts (
  id INTEGER PRIMARY KEY,
  balance INTEGER NOT NULL,
  kind TEXT NOT NULL,
  CHECK (balance >= -100),
  CHECK (id > 0),
  CONSTRAINT accounts_kind CHECK (kind IN ('a', 'b'))
);

INSERT INTO _migrate_new_accounts (id, balance, kind)
  SELECT id, balance, kind FROM accounts;

DROP TABLE accounts;

ALTER TABLE _migrate_new_accounts RENAME TO accounts;
