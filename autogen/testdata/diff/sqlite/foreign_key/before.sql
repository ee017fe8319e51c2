CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  editor_id INTEGER,
  title TEXT NOT NULL
);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  book_id INTEGER REFERENCES books (id) ON DELETE CASCADE,
  reviewer_id INTEGER REFERENCES authors (id) ON DELETE SET NULL,
  body TEXT
);
CREATE INDEX reviews_book ON reviews (book_id);
