-- Registers (catalog/registers/*.yaml): one table per register. Every table
-- has the same frame — the village it belongs to (for code-range scope and
-- roll-ups), its subject (a person, a household, or only the village; an
-- activity may also name a unit), a soft-delete flag and a version for
-- optimistic concurrency — and the register's own fields as typed columns.
-- id_number and subject_name keep the person's ID number and name as the
-- register recorded them, so that reconciliation can find entries whose
-- person later changed, left, or never matched.
-- A test checks that each definition's fields are columns here.

-- 健康活动台账 (Activity ledger)
CREATE TABLE reg_activities (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT '',
	activity_date TEXT NOT NULL DEFAULT '',
	place        TEXT NOT NULL DEFAULT '',
	topic        TEXT NOT NULL DEFAULT '',
	organiser    TEXT NOT NULL DEFAULT '',
	attendance   INTEGER NOT NULL,
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_activities_village ON reg_activities (village_code, activity_date);
CREATE INDEX reg_activities_unit ON reg_activities (unit_id) WHERE unit_id IS NOT NULL;

-- 健康体检 (Health check-ups)
CREATE TABLE reg_checkups (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	exam_date    TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL DEFAULT '',
	organisation TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_checkups_village ON reg_checkups (village_code, exam_date);
CREATE INDEX reg_checkups_person ON reg_checkups (person_id);

-- 慢性病管理 (Chronic-disease management)
CREATE TABLE reg_chronic (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	disease      TEXT NOT NULL DEFAULT '',
	diagnosed_date TEXT NOT NULL DEFAULT '',
	managed      BOOLEAN NOT NULL DEFAULT 0,
	doctor       TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_chronic_village ON reg_chronic (village_code, diagnosed_date);
CREATE UNIQUE INDEX reg_chronic_unique ON reg_chronic (person_id, disease) WHERE active;

-- 家庭医生签约 (Family-doctor contracts)
CREATE TABLE reg_contracts (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	doctor       TEXT NOT NULL DEFAULT '',
	team         TEXT NOT NULL DEFAULT '',
	start_date   TEXT NOT NULL DEFAULT '',
	end_date     TEXT NOT NULL DEFAULT '',
	priority_group TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_contracts_village ON reg_contracts (village_code, start_date);
CREATE INDEX reg_contracts_person ON reg_contracts (person_id);

-- 环境卫生检查 (Environment inspections)
CREATE TABLE reg_env_inspections (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	inspection_date TEXT NOT NULL DEFAULT '',
	sanitation_score REAL NOT NULL,
	rodent       TEXT NOT NULL DEFAULT '',
	mosquito     TEXT NOT NULL DEFAULT '',
	fly          TEXT NOT NULL DEFAULT '',
	cockroach    TEXT NOT NULL DEFAULT '',
	inspector    TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_env_inspections_village ON reg_env_inspections (village_code, inspection_date);

-- 就医费用 (Medical expenses)
CREATE TABLE reg_expenses (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	visit_kind   TEXT NOT NULL DEFAULT '',
	visit_date   TEXT NOT NULL DEFAULT '',
	hospital     TEXT NOT NULL DEFAULT '',
	in_county    BOOLEAN NOT NULL DEFAULT 0,
	total        REAL NOT NULL,
	insurance_paid REAL NOT NULL,
	assistance   REAL NOT NULL,
	out_of_pocket REAL NOT NULL,
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_expenses_village ON reg_expenses (village_code, visit_date);
CREATE INDEX reg_expenses_person ON reg_expenses (person_id);

-- 慢病随访 (Chronic-disease follow-ups)
CREATE TABLE reg_followups (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	disease      TEXT NOT NULL DEFAULT '',
	followup_date TEXT NOT NULL DEFAULT '',
	result       TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_followups_village ON reg_followups (village_code, followup_date);
CREATE INDEX reg_followups_person ON reg_followups (person_id);

-- 居民健康档案 (Health records)
CREATE TABLE reg_health_records (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	record_no    TEXT NOT NULL DEFAULT '',
	opened_date  TEXT NOT NULL DEFAULT '',
	organisation TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_health_records_village ON reg_health_records (village_code, opened_date);
CREATE UNIQUE INDEX reg_health_records_unique ON reg_health_records (person_id) WHERE active;

-- 基本医疗保险参保 (Health insurance enrolment)
CREATE TABLE reg_insurance (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	year         INTEGER NOT NULL,
	scheme       TEXT NOT NULL DEFAULT '',
	paid_date    TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_insurance_village ON reg_insurance (village_code, year);
CREATE UNIQUE INDEX reg_insurance_unique ON reg_insurance (person_id, year) WHERE active;

-- 建档立卡人口 (Poverty register)
CREATE TABLE reg_poverty (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	since_date   TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_poverty_village ON reg_poverty (village_code, since_date);
CREATE UNIQUE INDEX reg_poverty_unique ON reg_poverty (person_id) WHERE active;

-- 农户改厕与自来水 (Household toilets and tap water)
CREATE TABLE reg_sanitation (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	toilet       TEXT NOT NULL DEFAULT '',
	tap_water    BOOLEAN NOT NULL DEFAULT 0,
	checked_date TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_sanitation_village ON reg_sanitation (village_code, checked_date);
CREATE UNIQUE INDEX reg_sanitation_unique ON reg_sanitation (household_id) WHERE active;

-- Files attached to register entries (an activity's photos and sign-in
-- sheets): the bytes are evidence_blobs, stored once per content hash.
CREATE TABLE entry_files (
	id          INTEGER PRIMARY KEY,
	register    TEXT NOT NULL,
	entry_id    INTEGER NOT NULL,
	sha256      TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name        TEXT NOT NULL,
	division    TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX entry_files_entry ON entry_files (register, entry_id);

-- Reconciliation differences marked resolved: a resolution holds while the
-- difference's fingerprint (the data that made it) stays the same.
CREATE TABLE reconcile_resolutions (
	key         TEXT PRIMARY KEY,
	fingerprint TEXT NOT NULL,
	division    TEXT NOT NULL,
	note        TEXT NOT NULL,
	resolved_by TEXT NOT NULL,
	resolved_at TIMESTAMP NOT NULL
);
