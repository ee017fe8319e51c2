-- rebuild authors: add check (length(name) > 0)
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild authors (children: books, reviews)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  CHECK (length(name) > 0)
);

INSERT INTO _migrate_new_authors (id, name)
  SELECT id, name FROM authors;

DROP TABLE authors;

ALTER TABLE _migrate_new_authors RENAME TO authors;

-- rebuild books: add foreign key (editor_id) to authors
CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT "PRAGMA foreign_keys must be OFF to rebuild books (children: reviews)" CHECK (ok));

INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys;

DROP TABLE migrate_foreign_keys_off;

CREATE TABLE _migrate_new_books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL,
  editor_id INTEGER,
  title TEXT NOT NULL,
  FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE,
  CONSTRAINT books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE SET NULL
);

INSERT INTO _migrate_new_books (id, author_id, editor_id, title)
  SELECT id, author_id, editor_id, title FROM books;

DROP TABLE books;

ALTER TABLE _migrate_new_books RENAME TO books;

-- rebuild reviews: drop foreign key (reviewer_id) to authors
CREATE TABLE _migrate_new_reviews (
  id INTEGER PRIMARY KEY,
  book_id INTEGER,
  reviewer_id INTEGER,
  body TEXT,
  FOREIGN KEY (book_id) REFERENCES books (id) ON DELETE CASCADE
);

INSERT INTO _migrate_new_reviews (id, book_id, reviewer_id, body)
  SELECT id, book_id, reviewer_id, body FROM reviews;

DROP TABLE reviews;

ALTER TABLE _migrate_new_reviews RENAME TO reviews;

CREATE INDEX reviews_book ON reviews (book_id);
