INSERT INTO items (id, price, qty) VALUES (1, 10, 2), (2, 5, 1), (3, 7, 3);
INSERT INTO item_notes VALUES (1, 1, 'x'), (2, 3, 'y'), (3, NULL, 'z');
