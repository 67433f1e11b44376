-- The creation workflow: campaigns, applications and their transitions,
-- rectification items (整改), inspections (督查) and bulletins (通报).
CREATE TABLE campaigns (
	id            INTEGER PRIMARY KEY,
	division      TEXT NOT NULL,
	year          INTEGER NOT NULL,
	name          TEXT NOT NULL,
	deadline      TEXT NOT NULL DEFAULT '',
	time_zone     TEXT NOT NULL,
	bulletin_days INTEGER NOT NULL DEFAULT 0,
	created_by    TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	UNIQUE (division, year, name)
);

CREATE TABLE campaign_targets (
	campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
	township    TEXT NOT NULL,
	target      INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, township)
);

CREATE TABLE applications (
	id             INTEGER PRIMARY KEY,
	campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
	year           INTEGER NOT NULL,
	standard_id    INTEGER NOT NULL REFERENCES standards (id),
	unit_kind      TEXT NOT NULL,
	unit_ref       TEXT NOT NULL,
	unit_name      TEXT NOT NULL,
	division       TEXT NOT NULL,
	department     TEXT NOT NULL DEFAULT '',
	state          TEXT NOT NULL,
	certificate_no TEXT UNIQUE,
	named_on       TEXT NOT NULL DEFAULT '',
	review_due     TEXT NOT NULL DEFAULT '',
	failed_reviews INTEGER NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	created_by     TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	updated_at     TIMESTAMP NOT NULL,
	UNIQUE (campaign_id, standard_id, unit_kind, unit_ref)
);
CREATE INDEX applications_division ON applications (division, state);
CREATE INDEX applications_state ON applications (state, division);

CREATE TABLE application_transitions (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	at             TIMESTAMP NOT NULL,
	user_id        INTEGER NOT NULL,
	username       TEXT NOT NULL,
	role           TEXT NOT NULL,
	action         TEXT NOT NULL,
	from_state     TEXT NOT NULL,
	to_state       TEXT NOT NULL,
	comment        TEXT NOT NULL DEFAULT '',
	sheet_id       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX application_transitions_app ON application_transitions (application_id, id);

CREATE TABLE inspections (
	id           INTEGER PRIMARY KEY,
	unit_kind    TEXT NOT NULL,
	unit_ref     TEXT NOT NULL,
	unit_name    TEXT NOT NULL,
	division     TEXT NOT NULL,
	department   TEXT NOT NULL DEFAULT '',
	standard_code TEXT NOT NULL DEFAULT '',
	inspected_on TEXT NOT NULL,
	inspectors   TEXT NOT NULL,
	summary      TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX inspections_division ON inspections (division);

CREATE TABLE rectifications (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER REFERENCES applications (id),
	inspection_id  INTEGER REFERENCES inspections (id),
	unit_kind      TEXT NOT NULL,
	unit_ref       TEXT NOT NULL,
	unit_name      TEXT NOT NULL,
	division       TEXT NOT NULL,
	department     TEXT NOT NULL DEFAULT '',
	item_code      TEXT NOT NULL DEFAULT '',
	text           TEXT NOT NULL,
	owner          TEXT NOT NULL,
	deadline       TEXT NOT NULL,
	checker_level  TEXT NOT NULL,
	state          TEXT NOT NULL,
	answer_note    TEXT NOT NULL DEFAULT '',
	answered_by    TEXT NOT NULL DEFAULT '',
	answered_at    TIMESTAMP,
	checked_by     TEXT NOT NULL DEFAULT '',
	check_note     TEXT NOT NULL DEFAULT '',
	created_by     TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rectifications_app ON rectifications (application_id);
CREATE INDEX rectifications_inspection ON rectifications (inspection_id);
CREATE INDEX rectifications_division ON rectifications (division, state);

-- Photos and files of rectification answers and inspections, in evidence_blobs.
CREATE TABLE workflow_files (
	id               INTEGER PRIMARY KEY,
	rectification_id INTEGER REFERENCES rectifications (id),
	inspection_id    INTEGER REFERENCES inspections (id),
	sha256           TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name             TEXT NOT NULL,
	division         TEXT NOT NULL,
	uploaded_by      TEXT NOT NULL,
	uploaded_at      TIMESTAMP NOT NULL
);
CREATE INDEX workflow_files_rect ON workflow_files (rectification_id);
CREATE INDEX workflow_files_insp ON workflow_files (inspection_id);

-- A bulletin keeps the content computed when it was issued, unchanged.
CREATE TABLE bulletins (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
	division    TEXT NOT NULL,
	number      INTEGER NOT NULL,
	issued_on   TEXT NOT NULL,
	issued_by   TEXT NOT NULL,
	issued_at   TIMESTAMP NOT NULL,
	body        TEXT NOT NULL,
	UNIQUE (campaign_id, number)
);
