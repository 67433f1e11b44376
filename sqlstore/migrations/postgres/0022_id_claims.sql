-- ID-number claims (issue 13): a resident entered with a number that a
-- record the entering user cannot see already holds is stored with that
-- number as a claim (id_claim) and no id_number, so that id_number stays
-- unique and the user gets the same answer as for a number nobody has. The
-- county office settles claims in reconciliation (kind id_claim); saving
-- the resident again once the number is free makes it its id_number.
ALTER TABLE persons ADD COLUMN id_claim TEXT;
CREATE INDEX persons_id_claim ON persons (id_claim) WHERE id_claim IS NOT NULL;
