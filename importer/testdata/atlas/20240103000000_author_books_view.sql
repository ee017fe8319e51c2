-- Create "author_books" view
CREATE VIEW "author_books" ("author", "books") AS SELECT a.name, count(b.id)
  FROM authors a LEFT JOIN books b ON b.author_id = a.id GROUP BY a.name;
