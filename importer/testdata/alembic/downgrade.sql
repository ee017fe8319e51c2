BEGIN;

-- Running downgrade 5e6f7a8b9c0d -> 4d5e6f7a8b9c

DROP FUNCTION account_label(accounts);

ALTER TABLE accounts DROP COLUMN status;

DROP TYPE account_status;

UPDATE alembic_version SET version_num='4d5e6f7a8b9c' WHERE alembic_version.version_num = '5e6f7a8b9c0d';

-- Running downgrade 4d5e6f7a8b9c -> 2a3b4c5d6e7f, 3c4d5e6f7a8b

INSERT INTO alembic_version (version_num) VALUES ('2a3b4c5d6e7f') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='3c4d5e6f7a8b' WHERE alembic_version.version_num = '4d5e6f7a8b9c';

-- Running downgrade 2a3b4c5d6e7f -> 1f2e3d4c5b6a

DROP INDEX accounts_email_idx;

ALTER TABLE accounts DROP COLUMN email;

DELETE FROM alembic_version WHERE alembic_version.version_num = '2a3b4c5d6e7f';

-- Running downgrade 3c4d5e6f7a8b -> 1f2e3d4c5b6a

DROP TABLE audit_log;

UPDATE alembic_version SET version_num='1f2e3d4c5b6a' WHERE alembic_version.version_num = '3c4d5e6f7a8b';

-- Running downgrade 1f2e3d4c5b6a -> 

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = '1f2e3d4c5b6a';

DROP TABLE alembic_version;

COMMIT;

