INSERT INTO memberships VALUES (1, 1, 'admin'), (1, 2, NULL), (2, 1, 'member');
INSERT INTO tags VALUES (3, 'go'), (7, 'sql');
INSERT INTO post_tags VALUES (1, 3), (1, 7), (2, 7);
