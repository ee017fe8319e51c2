CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  CHECK (length(name) > 0)
);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  editor_id INTEGER,
  title TEXT NOT NULL,
  CONSTRAINT books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE SET NULL
);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  book_id INTEGER REFERENCES books (id) ON DELETE CASCADE,
  reviewer_id INTEGER,
  body TEXT
);
CREATE INDEX reviews_book ON reviews (book_id);
