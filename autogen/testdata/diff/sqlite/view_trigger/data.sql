INSERT INTO film (film_id, title, rating, last_update) VALUES (1, 'Alien', 'R', '2006-02-15'), (2, 'Bambi', 'G', '2006-02-15'), (3, 'Casper', NULL, '2006-02-15');
INSERT INTO inventory VALUES (1, 1, '2006-02-15'), (2, 1, '2006-02-15'), (3, 3, '2006-02-15');
