-- Bulletins above the county (a city ranking its counties, a province its
-- cities) belong to no campaign: they cover every campaign of a year in
-- their division. SQLite cannot drop NOT NULL, so the table is rebuilt.
CREATE TABLE bulletins_new (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER REFERENCES campaigns (id),
	division    TEXT NOT NULL,
	number      INTEGER NOT NULL,
	issued_on   TEXT NOT NULL,
	issued_by   TEXT NOT NULL,
	issued_at   TIMESTAMP NOT NULL,
	body        TEXT NOT NULL,
	year        INTEGER NOT NULL DEFAULT 0,
	UNIQUE (campaign_id, number)
);
INSERT INTO bulletins_new (id, campaign_id, division, number, issued_on, issued_by, issued_at, body, year)
	SELECT b.id, b.campaign_id, b.division, b.number, b.issued_on, b.issued_by, b.issued_at, b.body,
		COALESCE((SELECT c.year FROM campaigns c WHERE c.id = b.campaign_id), 0)
	FROM bulletins b;
DROP TABLE bulletins;
ALTER TABLE bulletins_new RENAME TO bulletins;
-- Numbered per division and year (第 N 期).
CREATE UNIQUE INDEX bulletins_upper ON bulletins (division, year, number) WHERE campaign_id IS NULL;
