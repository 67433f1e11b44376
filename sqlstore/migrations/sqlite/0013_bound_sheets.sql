-- Score sheets bound to the data (issue 12): frozen submissions, snapshots,
-- trusted evidence.

-- A sheet frozen by a step of an application keeps its answers; later edits
-- go to a new edition (a copy), the latest edition being the one in use.
ALTER TABLE score_sheets ADD COLUMN edition INTEGER NOT NULL DEFAULT 1;
ALTER TABLE score_sheets ADD COLUMN frozen_at TIMESTAMP;

-- The exact copy of a sheet a step relied on: the sheet with its answers,
-- computed values, overrides and evidence list, and its result, as JSON.
CREATE TABLE sheet_snapshots (
	id             INTEGER PRIMARY KEY,
	sheet_id       INTEGER NOT NULL REFERENCES score_sheets (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	action         TEXT NOT NULL,
	overrides      INTEGER NOT NULL DEFAULT 0,
	total          REAL NOT NULL DEFAULT 0,
	passed         BOOLEAN NOT NULL DEFAULT 0,
	body           TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL
);
CREATE INDEX sheet_snapshots_app ON sheet_snapshots (application_id, id);
ALTER TABLE application_transitions ADD COLUMN snapshot_id INTEGER NOT NULL DEFAULT 0;

-- The date a photo says it was taken (EXIF DateTimeOriginal, 'YYYY-MM-DD'),
-- read when it is stored; '' when it has none.
ALTER TABLE evidence_blobs ADD COLUMN taken_on TEXT NOT NULL DEFAULT '';
CREATE INDEX evidence_sha ON evidence (sha256);
CREATE INDEX entry_files_sha ON entry_files (sha256);
