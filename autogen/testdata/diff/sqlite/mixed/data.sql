INSERT INTO a VALUES (1, 'one'), (2, 'two');
INSERT INTO b VALUES (1, 1, 10), (2, 2, 20), (3, NULL, NULL);
