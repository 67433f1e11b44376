-- 家庭健康情况 (issue 12 item 6): the household-level facts the family
-- standard and the village standard read — the household's 健康明白人, the
-- handbook, the medicine kit, the health tools and the family checklist —
-- recorded once per household (unique among active entries). Same frame as
-- every register table (0004), with the data-version (0008) and per-village
-- version (0009) triggers every register table has.
CREATE TABLE reg_family_health (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	knowledge_person TEXT NOT NULL DEFAULT '',
	handbook         BOOLEAN NOT NULL DEFAULT 0,
	medicine_kit     BOOLEAN NOT NULL DEFAULT 0,
	scale            BOOLEAN NOT NULL DEFAULT 0,
	bp_monitor       BOOLEAN NOT NULL DEFAULT 0,
	waist_tape       BOOLEAN NOT NULL DEFAULT 0,
	oil_pot          BOOLEAN NOT NULL DEFAULT 0,
	salt_spoon       BOOLEAN NOT NULL DEFAULT 0,
	vitals_skill     BOOLEAN NOT NULL DEFAULT 0,
	label_skill      BOOLEAN NOT NULL DEFAULT 0,
	online_booking   BOOLEAN NOT NULL DEFAULT 0,
	smoke_free       BOOLEAN NOT NULL DEFAULT 0,
	exercise         BOOLEAN NOT NULL DEFAULT 0,
	tooth_care       BOOLEAN NOT NULL DEFAULT 0,
	sleep            BOOLEAN NOT NULL DEFAULT 0,
	lived_one_year   BOOLEAN NOT NULL DEFAULT 0,
	good_health      BOOLEAN NOT NULL DEFAULT 0,
	recorded_date    TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_family_health_village ON reg_family_health (village_code, recorded_date);
CREATE UNIQUE INDEX reg_family_health_unique ON reg_family_health (household_id) WHERE active;
-- Covering index for the existence tests of the family indicators.
CREATE INDEX reg_family_health_household ON reg_family_health (household_id, recorded_date, active);

CREATE TRIGGER reg_family_health_dv_insert AFTER INSERT ON reg_family_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_family_health_dv_update AFTER UPDATE ON reg_family_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_family_health_dv_delete AFTER DELETE ON reg_family_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER reg_family_health_dv_village_insert AFTER INSERT ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_family_health_dv_village_update AFTER UPDATE ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_family_health_dv_village_delete AFTER DELETE ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

-- A township's bulk check of applied households by sampling (抽查): the
-- applications of the batch, the percentage and the seed the sample was
-- drawn with (so that anyone can draw it again), and the result. A batch
-- is 'sampling' until decided, then 'passed' (every sampled household's
-- township check sheet passed, and all members passed the check) or
-- 'failed' (a sampled household failed: nobody passed by the batch).
CREATE TABLE family_batches (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
	township    TEXT NOT NULL REFERENCES divisions (code),
	percent     INTEGER NOT NULL,
	seed        BIGINT NOT NULL,
	state       TEXT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL,
	decided_by  TEXT NOT NULL DEFAULT '',
	decided_at  TIMESTAMP
);
CREATE INDEX family_batches_township ON family_batches (township, id);
-- sampled: drawn for a check by hand. passed_at: when the batch passed the
-- member (the basis of guard passed_by_sample serves once).
CREATE TABLE family_batch_members (
	batch_id       INTEGER NOT NULL REFERENCES family_batches (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	sampled        BOOLEAN NOT NULL,
	passed_at      TIMESTAMP,
	PRIMARY KEY (batch_id, application_id)
);
CREATE INDEX family_batch_members_application ON family_batch_members (application_id);

-- healthy_family_rate reads the named household applications (indicator
-- field households.named): an application's change bumps the data and
-- village versions like a register row, and the existence test is indexed.
CREATE INDEX applications_unit_state ON applications (unit_kind, unit_ref, state, named_on);
CREATE TRIGGER applications_dv_insert AFTER INSERT ON applications BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER applications_dv_update AFTER UPDATE ON applications BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER applications_dv_delete AFTER DELETE ON applications BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER applications_dv_village_insert AFTER INSERT ON applications WHEN NEW.unit_kind = 'household' BEGIN
	INSERT INTO village_versions (village_code, n) VALUES (NEW.division, 1) ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER applications_dv_village_update AFTER UPDATE ON applications WHEN NEW.unit_kind = 'household' OR OLD.unit_kind = 'household' BEGIN
	INSERT INTO village_versions (village_code, n) SELECT v, 1 FROM (SELECT NEW.division AS v UNION SELECT OLD.division) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER applications_dv_village_delete AFTER DELETE ON applications WHEN OLD.unit_kind = 'household' BEGIN
	INSERT INTO village_versions (village_code, n) VALUES (OLD.division, 1) ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
