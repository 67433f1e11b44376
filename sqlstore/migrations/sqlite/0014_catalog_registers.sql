-- Issue 12, item 2: every indicator and activity the shipped standards name
-- exists. New registers (catalog/registers/*.yaml) with the frame every
-- register table has (see 0004) and the data-version (0008) and
-- village-version (0009) triggers every register table needs:
-- village_env (roads, green cover), and three unit registers — schools,
-- hospitals, enterprises — whose rows name their unit (subject unit).
-- New fields of existing registers: refuse points and water samples of
-- environment inspections, livestock of household sanitation.
-- Activity kinds are renamed to the codes the standards use
-- (publicity → publicity_day, sports → sports_event).

ALTER TABLE reg_env_inspections ADD COLUMN refuse_points INTEGER;
ALTER TABLE reg_env_inspections ADD COLUMN refuse_cleared INTEGER;
ALTER TABLE reg_env_inspections ADD COLUMN water_samples INTEGER;
ALTER TABLE reg_env_inspections ADD COLUMN water_passed INTEGER;
ALTER TABLE reg_sanitation ADD COLUMN livestock TEXT NOT NULL DEFAULT '';

UPDATE reg_activities SET kind = 'publicity_day' WHERE kind = 'publicity';
UPDATE reg_activities SET kind = 'sports_event' WHERE kind = 'sports';

-- 村庄环境状况调查 (Village environment survey)
CREATE TABLE reg_village_env (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	survey_date  TEXT NOT NULL DEFAULT '',
	road_km      REAL NOT NULL,
	road_hardened_km REAL NOT NULL,
	built_area_ha REAL NOT NULL,
	green_area_ha REAL NOT NULL,
	surveyor     TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_village_env_village ON reg_village_env (village_code, survey_date);
CREATE INDEX reg_village_env_unit ON reg_village_env (unit_id, survey_date) WHERE unit_id IS NOT NULL;

-- 学校健康教育与学生体质监测 (School health education and student fitness)
CREATE TABLE reg_school_health (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	report_date  TEXT NOT NULL DEFAULT '',
	classes      INTEGER NOT NULL,
	health_classes INTEGER NOT NULL,
	students_tested INTEGER NOT NULL,
	students_passed INTEGER NOT NULL,
	reporter     TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_school_health_village ON reg_school_health (village_code, report_date);
CREATE INDEX reg_school_health_unit ON reg_school_health (unit_id, report_date) WHERE unit_id IS NOT NULL;

-- 医院健康促进工作月报 (Hospital health promotion report)
CREATE TABLE reg_hospital_health (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	report_date  TEXT NOT NULL DEFAULT '',
	first_visits_35 INTEGER NOT NULL,
	bp_measured  INTEGER NOT NULL,
	discharged   INTEGER NOT NULL,
	ward_educated INTEGER NOT NULL,
	reporter     TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_hospital_health_village ON reg_hospital_health (village_code, report_date);
CREATE INDEX reg_hospital_health_unit ON reg_hospital_health (unit_id, report_date) WHERE unit_id IS NOT NULL;

-- 职业健康监测 (Occupational health monitoring)
CREATE TABLE reg_occupational_health (
	id           INTEGER PRIMARY KEY,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	person_id    INTEGER REFERENCES persons (id),
	household_id INTEGER REFERENCES households (id),
	unit_id      INTEGER REFERENCES units (id),
	id_number    TEXT NOT NULL DEFAULT '',
	subject_name TEXT NOT NULL DEFAULT '',
	report_date  TEXT NOT NULL DEFAULT '',
	hazard_points INTEGER NOT NULL,
	hazard_passed INTEGER NOT NULL,
	exposed_workers INTEGER NOT NULL,
	examined_workers INTEGER NOT NULL,
	agency       TEXT NOT NULL DEFAULT '',
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX reg_occupational_health_village ON reg_occupational_health (village_code, report_date);
CREATE INDEX reg_occupational_health_unit ON reg_occupational_health (unit_id, report_date) WHERE unit_id IS NOT NULL;

CREATE TRIGGER reg_village_env_dv_insert AFTER INSERT ON reg_village_env BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_village_env_dv_update AFTER UPDATE ON reg_village_env BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_village_env_dv_delete AFTER DELETE ON reg_village_env BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_village_env_dv_village_insert AFTER INSERT ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_village_env_dv_village_update AFTER UPDATE ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_village_env_dv_village_delete AFTER DELETE ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_school_health_dv_insert AFTER INSERT ON reg_school_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_school_health_dv_update AFTER UPDATE ON reg_school_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_school_health_dv_delete AFTER DELETE ON reg_school_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_school_health_dv_village_insert AFTER INSERT ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_school_health_dv_village_update AFTER UPDATE ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_school_health_dv_village_delete AFTER DELETE ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_hospital_health_dv_insert AFTER INSERT ON reg_hospital_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_hospital_health_dv_update AFTER UPDATE ON reg_hospital_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_hospital_health_dv_delete AFTER DELETE ON reg_hospital_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_hospital_health_dv_village_insert AFTER INSERT ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_hospital_health_dv_village_update AFTER UPDATE ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_hospital_health_dv_village_delete AFTER DELETE ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_occupational_health_dv_insert AFTER INSERT ON reg_occupational_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_occupational_health_dv_update AFTER UPDATE ON reg_occupational_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_occupational_health_dv_delete AFTER DELETE ON reg_occupational_health BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_occupational_health_dv_village_insert AFTER INSERT ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_occupational_health_dv_village_update AFTER UPDATE ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_occupational_health_dv_village_delete AFTER DELETE ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
