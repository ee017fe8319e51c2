CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  balance INTEGER NOT NULL CHECK (balance >= -100),
  kind TEXT NOT NULL,
  CONSTRAINT accounts_kind CHECK (kind IN ('a', 'b')),
  CHECK (id > 0)
);
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  amount INTEGER NOT NULL
);
