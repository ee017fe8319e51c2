INSERT INTO notes VALUES (1, 'alpha', 'first note'), (2, 'beta', 'second note');
