BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1f2e3d4c5b6a

CREATE TABLE accounts (
    id SERIAL NOT NULL, 
    name TEXT NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('1f2e3d4c5b6a') RETURNING alembic_version.version_num;

-- Running upgrade 1f2e3d4c5b6a -> 3c4d5e6f7a8b

CREATE TABLE audit_log (
    id BIGSERIAL NOT NULL, 
    account_id INTEGER NOT NULL, 
    note TEXT DEFAULT 'n/a; none' NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

UPDATE alembic_version SET version_num='3c4d5e6f7a8b' WHERE alembic_version.version_num = '1f2e3d4c5b6a';

-- Running upgrade 1f2e3d4c5b6a -> 2a3b4c5d6e7f

ALTER TABLE accounts ADD COLUMN email TEXT;

CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);

INSERT INTO alembic_version (version_num) VALUES ('2a3b4c5d6e7f') RETURNING alembic_version.version_num;

-- Running upgrade 2a3b4c5d6e7f, 3c4d5e6f7a8b -> 4d5e6f7a8b9c

DELETE FROM alembic_version WHERE alembic_version.version_num = '2a3b4c5d6e7f';

UPDATE alembic_version SET version_num='4d5e6f7a8b9c' WHERE alembic_version.version_num = '3c4d5e6f7a8b';

-- Running upgrade 4d5e6f7a8b9c -> 5e6f7a8b9c0d

CREATE TYPE account_status AS ENUM ('active', 'closed');

ALTER TABLE accounts ADD COLUMN status account_status DEFAULT 'active' NOT NULL;

CREATE FUNCTION account_label(a accounts) RETURNS text
        LANGUAGE plpgsql AS $$
        BEGIN
            RETURN a.name || ' (' || a.status || ')';
        END;
        $$;

UPDATE alembic_version SET version_num='5e6f7a8b9c0d' WHERE alembic_version.version_num = '4d5e6f7a8b9c';

COMMIT;

