-- Standards are immutable versions; the items live in body (JSON).
CREATE TABLE standards (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL,
	version      INTEGER NOT NULL,
	name         TEXT NOT NULL,
	cell_type    TEXT NOT NULL,
	unit_kind    TEXT NOT NULL,
	total_points REAL NOT NULL,
	body         TEXT NOT NULL,
	digest       TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	UNIQUE (code, version)
);

CREATE TABLE score_sheets (
	id           INTEGER PRIMARY KEY,
	standard_id  INTEGER NOT NULL REFERENCES standards (id),
	kind         TEXT NOT NULL,
	unit_kind    TEXT NOT NULL,
	unit_ref     TEXT NOT NULL,
	unit_name    TEXT NOT NULL,
	division     TEXT NOT NULL,
	year         INTEGER NOT NULL,
	region       TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX score_sheets_division ON score_sheets (division, year);
CREATE INDEX score_sheets_unit ON score_sheets (unit_kind, unit_ref);

CREATE TABLE score_answers (
	sheet_id  INTEGER NOT NULL REFERENCES score_sheets (id),
	item_code TEXT NOT NULL,
	answer    TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	scored_by TEXT NOT NULL,
	scored_at TIMESTAMP NOT NULL,
	PRIMARY KEY (sheet_id, item_code)
);

-- Evidence bytes are stored once per content hash; attachments point at them.
CREATE TABLE evidence_blobs (
	sha256 TEXT PRIMARY KEY,
	mime   TEXT NOT NULL,
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL,
	thumb  BLOB
);

CREATE TABLE evidence (
	id          INTEGER PRIMARY KEY,
	sheet_id    INTEGER NOT NULL REFERENCES score_sheets (id),
	item_code   TEXT NOT NULL,
	sha256      TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name        TEXT NOT NULL,
	division    TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_sheet ON evidence (sheet_id, item_code);

-- Institutional units: schools, hospitals, health centres, clinics,
-- agencies, enterprises; each hangs on the division it is in.
CREATE TABLE units (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	division   TEXT NOT NULL REFERENCES divisions (code),
	department TEXT NOT NULL DEFAULT '',
	version    INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	UNIQUE (division, name)
);
CREATE INDEX units_division ON units (division);
