INSERT INTO accounts VALUES (1, 10, 'a'), (2, 0, 'b');
INSERT INTO entries VALUES (1, 1, 5), (2, 1, 5), (3, 2, -1);
