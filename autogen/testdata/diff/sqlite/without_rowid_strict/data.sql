INSERT INTO kv VALUES ('a', '1'), ('b', NULL);
INSERT INTO measurements VALUES (1, 's1', 1.5), (2, 's2', NULL);
INSERT INTO readings VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 1, NULL);
