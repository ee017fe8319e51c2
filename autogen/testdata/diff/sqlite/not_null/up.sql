-- WARNING: sets NOT NULL on people.name: fails if a row holds NULL
ALTER TABLE people ALTER COLUMN name SET NOT NULL;

ALTER TABLE people ALTER COLUMN nickname DROP NOT NULL;
