INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'), (5, 'c@x');
INSERT INTO posts VALUES (1, 1, 'hello'), (2, 1, 'again'), (3, 5, NULL);
