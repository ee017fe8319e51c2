INSERT INTO t VALUES (1, 1, 2, 'a'), (2, 3, 4, 'B');
