-- Per-village data versions (issue 4: indicators stay current and cheap).
-- village_versions holds, for every village whose data changed, a counter
-- bumped in the writing transaction by every change to a table indicators
-- or village pages read. The villages a change touches are the row's own
-- village and the current village of the person and of the household the
-- row names (a register entry keeps the village it was recorded in; the
-- person may have moved since). A cache entry for a village computed after
-- reading its counter is never older than the data; it is recomputed when
-- the counter moves. Bulk loads drop (SQLite) or skip (PostgreSQL) these
-- triggers and bump data_version.epoch instead, which empties every
-- per-village cache. A new register table needs the same triggers.

-- Per-village queries over the responses read one village's rows of the
-- period (questionnaire_responses_village leads with the questionnaire,
-- which measures test inside their aggregates).
CREATE INDEX questionnaire_responses_village_date ON questionnaire_responses (village_code, survey_date);

CREATE TABLE village_versions (
	village_code TEXT PRIMARY KEY,
	n            INTEGER NOT NULL
);
ALTER TABLE data_version ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER persons_dv_village_insert AFTER INSERT ON persons BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER persons_dv_village_update AFTER UPDATE ON persons BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER persons_dv_village_delete AFTER DELETE ON persons BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER households_dv_village_insert AFTER INSERT ON households BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER households_dv_village_update AFTER UPDATE ON households BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT OLD.village_code AS v) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER households_dv_village_delete AFTER DELETE ON households BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_dv_village_insert AFTER INSERT ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_dv_village_update AFTER UPDATE ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_dv_village_delete AFTER DELETE ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_activities_dv_village_insert AFTER INSERT ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_activities_dv_village_update AFTER UPDATE ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_activities_dv_village_delete AFTER DELETE ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_checkups_dv_village_insert AFTER INSERT ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_checkups_dv_village_update AFTER UPDATE ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_checkups_dv_village_delete AFTER DELETE ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_chronic_dv_village_insert AFTER INSERT ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_chronic_dv_village_update AFTER UPDATE ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_chronic_dv_village_delete AFTER DELETE ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_contracts_dv_village_insert AFTER INSERT ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_contracts_dv_village_update AFTER UPDATE ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_contracts_dv_village_delete AFTER DELETE ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_env_inspections_dv_village_insert AFTER INSERT ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_env_inspections_dv_village_update AFTER UPDATE ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_env_inspections_dv_village_delete AFTER DELETE ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_expenses_dv_village_insert AFTER INSERT ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_expenses_dv_village_update AFTER UPDATE ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_expenses_dv_village_delete AFTER DELETE ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_followups_dv_village_insert AFTER INSERT ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_followups_dv_village_update AFTER UPDATE ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_followups_dv_village_delete AFTER DELETE ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_health_records_dv_village_insert AFTER INSERT ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_health_records_dv_village_update AFTER UPDATE ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_health_records_dv_village_delete AFTER DELETE ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_insurance_dv_village_insert AFTER INSERT ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_insurance_dv_village_update AFTER UPDATE ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_insurance_dv_village_delete AFTER DELETE ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_poverty_dv_village_insert AFTER INSERT ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_poverty_dv_village_update AFTER UPDATE ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_poverty_dv_village_delete AFTER DELETE ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_sanitation_dv_village_insert AFTER INSERT ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_sanitation_dv_village_update AFTER UPDATE ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT NEW.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = NEW.person_id
		UNION SELECT village_code FROM households WHERE id = NEW.household_id
		UNION SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_sanitation_dv_village_delete AFTER DELETE ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT OLD.village_code AS v
		UNION SELECT village_code FROM persons WHERE id = OLD.person_id
		UNION SELECT village_code FROM households WHERE id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
