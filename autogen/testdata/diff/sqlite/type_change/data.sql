INSERT INTO products VALUES (1, 'A1', '9.5', 3), (2, 'B2', NULL, NULL), (3, 'C3', '12', 7);
INSERT INTO order_lines VALUES (1, 1, 2), (2, 3, 1), (3, 3, 5);
