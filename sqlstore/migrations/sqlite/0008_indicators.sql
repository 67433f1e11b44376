-- A county's own indicators (the shipped ones are catalog/indicators/*.yaml).
-- body is the definition as JSON, checked against the registers when saved.
CREATE TABLE indicators (
	code       TEXT PRIMARY KEY,
	county     TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX indicators_county ON indicators (county);
-- Check-up due lists and coverage look up a person's check-ups by date.
CREATE INDEX reg_checkups_person_date ON reg_checkups (person_id, exam_date);
