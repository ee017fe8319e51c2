CREATE TABLE members ( -- migrate:renamed_from users
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER REFERENCES members (id) ON DELETE CASCADE,
  body TEXT
);
CREATE INDEX users_email_lower ON members (lower(email));
CREATE VIEW user_posts AS SELECT u.email, p.body FROM members AS u JOIN posts AS p ON p.user_id = u.id;
CREATE TRIGGER posts_touch AFTER INSERT ON posts
BEGIN
  UPDATE members SET email = email WHERE id = new.user_id;
END;
