INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy');
INSERT INTO books VALUES (1, 1, 2, 'First'), (2, 1, NULL, 'Second'), (3, 2, 3, 'Third');
INSERT INTO reviews VALUES (1, 1, 2, 'good'), (2, 1, 3, 'fine'), (3, 3, NULL, 'meh');
