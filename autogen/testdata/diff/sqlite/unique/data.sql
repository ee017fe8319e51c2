INSERT INTO users VALUES (1, 'a@x', 'a'), (2, 'b@x', NULL), (3, 'c@x', 'c');
INSERT INTO sessions VALUES (1, 1), (2, 1), (3, 3);
