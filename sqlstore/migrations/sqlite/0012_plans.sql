-- Campaign plans (工作方案): one per campaign. The plan's parts (sections,
-- goals, pilots, phases, members, tasks, milestones, budget) are one JSON
-- document checked by healthcell.Plan.Validate and replaced whole under an
-- optimistic version; what others add to it — progress reports on tasks,
-- their files, and spending against budget lines — are rows of their own.
CREATE TABLE plans (
	campaign_id  INTEGER PRIMARY KEY REFERENCES campaigns (id),
	division     TEXT NOT NULL,
	state        TEXT NOT NULL,
	title        TEXT NOT NULL,
	template     TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1,
	updated_by   TEXT NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	published_at TIMESTAMP
);

CREATE TABLE plan_task_reports (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES plans (campaign_id),
	task        TEXT NOT NULL,
	department  TEXT NOT NULL,
	note        TEXT NOT NULL,
	percent     INTEGER NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL
);
CREATE INDEX plan_task_reports_task ON plan_task_reports (campaign_id, task, id);

CREATE TABLE plan_report_files (
	id          INTEGER PRIMARY KEY,
	report_id   INTEGER NOT NULL REFERENCES plan_task_reports (id),
	sha256      TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name        TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_report_files_report ON plan_report_files (report_id);

CREATE TABLE plan_spending (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES plans (campaign_id),
	line        TEXT NOT NULL,
	amount      REAL NOT NULL,
	spent_on    TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL
);
CREATE INDEX plan_spending_campaign ON plan_spending (campaign_id, line);
