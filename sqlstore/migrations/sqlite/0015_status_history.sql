-- Status and residence history (issue 12 item 5: numbers as of their period).
-- persons.since is the day (YYYY-MM-DD, Asia/Shanghai) from which the row's
-- household, village, status, relation, registered and resident hold; ''
-- means since the person's birth, as far as the record knows (created,
-- bulk-loaded and imported persons). Every write that changes one of these
-- values on a later day first copies the row's span into person_history
-- (valid_from = since, valid_to = the day of the change, exclusive) and moves
-- since to that day, in the same transaction. Name, sex, birth date and ID
-- number are corrections, not events: they are read from persons for every
-- span. households.since and household_history do the same for a household's
-- village and group. An indicator for a past period counts the live rows
-- whose since is not after the period's end and the spans covering it.
ALTER TABLE persons ADD COLUMN since TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN since TEXT NOT NULL DEFAULT '';

CREATE TABLE person_history (
	id           INTEGER PRIMARY KEY,
	person_id    INTEGER NOT NULL REFERENCES persons (id),
	household_id INTEGER NOT NULL,
	village_code TEXT NOT NULL,
	status       TEXT NOT NULL,
	relation     TEXT NOT NULL,
	registered   BOOLEAN NOT NULL,
	resident     BOOLEAN NOT NULL,
	valid_from   TEXT NOT NULL,
	valid_to     TEXT NOT NULL
);
CREATE INDEX person_history_village ON person_history (village_code, valid_to);
CREATE INDEX person_history_person ON person_history (person_id);
CREATE INDEX person_history_household ON person_history (household_id);

CREATE TABLE household_history (
	id           INTEGER PRIMARY KEY,
	household_id INTEGER NOT NULL REFERENCES households (id),
	village_code TEXT NOT NULL,
	grp          TEXT NOT NULL,
	active       BOOLEAN NOT NULL,
	valid_from   TEXT NOT NULL,
	valid_to     TEXT NOT NULL
);
CREATE INDEX household_history_village ON household_history (village_code, valid_to);
CREATE INDEX household_history_household ON household_history (household_id);

-- The deaths and moves away recorded so far, with their dates: active until then.
INSERT INTO person_history (person_id, household_id, village_code, status, relation, registered, resident, valid_from, valid_to)
SELECT id, household_id, village_code, 'active', relation, registered, resident, '', status_date
FROM persons WHERE status <> 'active' AND status_date <> '';
UPDATE persons SET since = status_date WHERE status <> 'active' AND status_date <> '';

-- Whether a respondent was a permanent resident (常住) when surveyed: the
-- literacy survey counts permanent residents only.
ALTER TABLE questionnaire_responses ADD COLUMN resident BOOLEAN NOT NULL DEFAULT 1;
