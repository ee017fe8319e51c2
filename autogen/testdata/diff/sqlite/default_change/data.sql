INSERT INTO settings (id, theme) VALUES (1, 'light'), (2, NULL);
INSERT INTO settings VALUES (3, 5, 'blue', 'fr');
