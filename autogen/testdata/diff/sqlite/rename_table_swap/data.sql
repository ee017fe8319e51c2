INSERT INTO a (name) VALUES ('p'), ('q'), ('r');
DELETE FROM a WHERE id = 3;
INSERT INTO b (qty) VALUES (1);
INSERT INTO x VALUES (1, 'a'), (2, 'b');
INSERT INTO y VALUES (1, 1), (2, 2), (3, 3);
