-- Sampling batches (抽查) of the office that names a title above the county
-- (sqlstore/naming_batch.go): recommended units of one cell type, a sample
-- drawn with the recorded seed (percent or count, the other 0), decided by
-- the sample. comment: the decision's reason when a drawn unit failed.
CREATE TABLE naming_batches (
	id          INTEGER PRIMARY KEY,
	office      TEXT NOT NULL REFERENCES divisions (code),
	cell_type   TEXT NOT NULL,
	percent     INTEGER NOT NULL,
	sample_count INTEGER NOT NULL,
	seed        BIGINT NOT NULL,
	state       TEXT NOT NULL,
	comment     TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL,
	decided_by  TEXT NOT NULL DEFAULT '',
	decided_at  TIMESTAMP
);
CREATE INDEX naming_batches_office ON naming_batches (office, id);
-- sampled: drawn for the office's own assessment. named_at: when the
-- batch named the member (the basis of guard named_by_sample serves once).
CREATE TABLE naming_batch_members (
	batch_id       INTEGER NOT NULL REFERENCES naming_batches (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	sampled        BOOLEAN NOT NULL,
	named_at       TIMESTAMP,
	PRIMARY KEY (batch_id, application_id)
);
CREATE INDEX naming_batch_members_application ON naming_batch_members (application_id);
