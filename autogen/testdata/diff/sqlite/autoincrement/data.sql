INSERT INTO orders (customer, total) VALUES ('ann', 10), ('bob', 20), ('cy', 30), ('dee', 40), ('eve', 50);
DELETE FROM orders WHERE id IN (4, 5);
INSERT INTO order_items VALUES (1, 1, 'x'), (2, 1, 'y'), (3, 3, 'z');
INSERT INTO notes VALUES (1, 'one'), (8, 'eight');
