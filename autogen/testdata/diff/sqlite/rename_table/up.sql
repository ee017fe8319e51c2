DROP TRIGGER posts_touch;

ALTER TABLE users RENAME TO members;

CREATE TRIGGER posts_touch AFTER INSERT ON posts
BEGIN
  UPDATE members SET email = email WHERE id = new.user_id;
END;
