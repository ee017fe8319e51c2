INSERT INTO t VALUES (1, 10, 'ten', 100, 'x'), (2, 20, 'twenty', 200, 'y');
