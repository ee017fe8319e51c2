INSERT INTO users VALUES (1, 'a@x', 'l1'), (2, 'b@x', NULL);
INSERT INTO accounts VALUES (10, 1, 'c1', 'n1'), (11, 2, 'c2', NULL), (12, NULL, NULL, 'n3');
