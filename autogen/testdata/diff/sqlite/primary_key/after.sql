CREATE TABLE memberships (
  group_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role TEXT,
  PRIMARY KEY (group_id, user_id)
);
CREATE TABLE tags (
  id INTEGER NOT NULL UNIQUE,
  label TEXT NOT NULL
);
CREATE TABLE post_tags (
  post_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE
);
