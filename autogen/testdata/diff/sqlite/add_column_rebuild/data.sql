INSERT INTO users VALUES (1, 'a@x.org'), (2, 'b@y.org');
INSERT INTO posts VALUES (1, 1, 'hello'), (2, 2, 'again'), (3, 2, NULL);
