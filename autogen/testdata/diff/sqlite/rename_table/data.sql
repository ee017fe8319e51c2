INSERT INTO users (email) VALUES ('a@x'), ('b@x'), ('c@x');
DELETE FROM users WHERE id = 3;
INSERT INTO posts VALUES (1, 1, 'hi'), (2, 2, 'yo'), (3, NULL, 'anon');
