DROP TRIGGER posts_touch;

ALTER TABLE members RENAME TO users;

CREATE TRIGGER posts_touch AFTER INSERT ON posts
BEGIN
  UPDATE users SET email = email WHERE id = new.user_id;
END;
