-- Questionnaire versions: the YAML text as loaded, parsed again on read.
-- version counts the changes of one code (1, 2, …); label is the file's own
-- version ("2020"). A version never changes once stored.
CREATE TABLE questionnaires (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL,
	version    INTEGER NOT NULL,
	label      TEXT NOT NULL DEFAULT '',
	name       TEXT NOT NULL,
	items      INTEGER NOT NULL,
	max_points INTEGER NOT NULL,
	body       TEXT NOT NULL,
	digest     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	UNIQUE (code, version)
);

-- One row per respondent, scored on entry against questionnaires(code, version).
CREATE TABLE questionnaire_responses (
	id               INTEGER PRIMARY KEY,
	questionnaire    TEXT NOT NULL,
	version          INTEGER NOT NULL,
	village_code     TEXT NOT NULL REFERENCES divisions (code),
	unit_id          INTEGER REFERENCES units (id),
	person_id        INTEGER REFERENCES persons (id),
	respondent_name  TEXT NOT NULL,
	sex              TEXT NOT NULL,
	age              INTEGER NOT NULL,
	survey_date      TEXT NOT NULL,
	points           INTEGER NOT NULL,
	max_points       INTEGER NOT NULL,
	passed           BOOLEAN NOT NULL,
	knowledge_passed BOOLEAN,
	behaviour_passed BOOLEAN,
	active           BOOLEAN NOT NULL DEFAULT TRUE,
	created_by       TEXT NOT NULL,
	created_at       TIMESTAMP NOT NULL
);
CREATE INDEX questionnaire_responses_village ON questionnaire_responses (questionnaire, village_code);
CREATE INDEX questionnaire_responses_person ON questionnaire_responses (person_id);

-- Every answer: the labels chosen in option order, comma-separated, and the points it scored.
CREATE TABLE questionnaire_answers (
	response_id INTEGER NOT NULL REFERENCES questionnaire_responses (id),
	item        TEXT NOT NULL,
	labels      TEXT NOT NULL,
	points      INTEGER NOT NULL,
	PRIMARY KEY (response_id, item)
) WITHOUT ROWID; -- one B-tree instead of a table and its key index: a million rows at county scale

-- Results per aspect (kind 'aspect'), problem area ('area') and part ('part':
-- knowledge, behaviour); code is the aspect's or area's name, or the part code.
CREATE TABLE questionnaire_response_groups (
	response_id INTEGER NOT NULL REFERENCES questionnaire_responses (id),
	kind        TEXT NOT NULL,
	code        TEXT NOT NULL,
	points      INTEGER NOT NULL,
	max_points  INTEGER NOT NULL,
	passed      BOOLEAN NOT NULL,
	PRIMARY KEY (response_id, kind, code)
) WITHOUT ROWID;
