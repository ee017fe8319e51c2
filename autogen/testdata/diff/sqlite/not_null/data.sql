INSERT INTO people VALUES (1, 'Ann', 'annie'), (2, 'Bob', 'bobby');
INSERT INTO pets VALUES (1, 1, 'Rex'), (2, 2, 'Tom'), (3, NULL, 'Stray');
