INSERT INTO events VALUES (1, 'click', '{"type":"a"}', 0), (2, 'view', NULL, 1);
INSERT INTO logs VALUES (1, 1, 'Hello', 3), (2, 1, 'world', 1), (3, 2, NULL, 5);
