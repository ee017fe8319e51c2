INSERT INTO users VALUES (1, 'Ann', 'ann@x', '31'), (2, 'Bob', 'bob@x', NULL);
INSERT INTO posts VALUES (1, 'ann@x', 'one'), (2, 'bob@x', 'two'), (3, NULL, 'three');
