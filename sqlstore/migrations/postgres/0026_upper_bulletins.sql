-- Bulletins above the county (a city ranking its counties, a province its
-- cities) belong to no campaign: they cover every campaign of a year in
-- their division.
ALTER TABLE bulletins ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE bulletins ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
UPDATE bulletins b SET year = c.year FROM campaigns c WHERE c.id = b.campaign_id;
-- Numbered per division and year (第 N 期).
CREATE UNIQUE INDEX bulletins_upper ON bulletins (division, year, number) WHERE campaign_id IS NULL;
