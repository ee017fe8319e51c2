INSERT INTO categories VALUES (1, NULL, 'root'), (2, 1, 'child'), (3, 2, 'grandchild'), (4, 1, 'other');
INSERT INTO employees VALUES (1, NULL, 'boss'), (2, 1, 'mid'), (3, 2, 'junior');
