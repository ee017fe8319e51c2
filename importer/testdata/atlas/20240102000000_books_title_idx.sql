-- atlas:txmode none

-- Create index "books_title_idx" to table: "books"
CREATE INDEX CONCURRENTLY "books_title_idx" ON "books" ("title");
