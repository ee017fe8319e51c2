-- WARNING: sets NOT NULL on people.nickname: fails if a row holds NULL
ALTER TABLE people ALTER COLUMN nickname SET NOT NULL;

ALTER TABLE people ALTER COLUMN name DROP NOT NULL;
