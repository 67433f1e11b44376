-- A county's own indicators (the shipped ones are catalog/indicators/*.yaml).
-- body is the definition as JSON, checked against the registers when saved.
CREATE TABLE indicators (
	code       TEXT PRIMARY KEY,
	county     TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX indicators_county ON indicators (county);

-- Indicator results are cached per data version: a counter bumped, in the
-- writing transaction, by every change to a table indicators read (and by
-- nothing else: sessions and the audit log do not count). A reader sees the
-- new number only once the write has committed, so a result cached under a
-- version is never older than that version. A new register table needs the
-- same triggers; bulk loads may drop them and bump the counter once.
CREATE TABLE data_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);
CREATE TRIGGER persons_dv_insert AFTER INSERT ON persons BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER persons_dv_update AFTER UPDATE ON persons BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER persons_dv_delete AFTER DELETE ON persons BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER households_dv_insert AFTER INSERT ON households BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER households_dv_update AFTER UPDATE ON households BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER households_dv_delete AFTER DELETE ON households BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questionnaire_responses_dv_insert AFTER INSERT ON questionnaire_responses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questionnaire_responses_dv_update AFTER UPDATE ON questionnaire_responses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questionnaire_responses_dv_delete AFTER DELETE ON questionnaire_responses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_dv_insert AFTER INSERT ON indicators BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_dv_update AFTER UPDATE ON indicators BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER indicators_dv_delete AFTER DELETE ON indicators BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_activities_dv_insert AFTER INSERT ON reg_activities BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_activities_dv_update AFTER UPDATE ON reg_activities BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_activities_dv_delete AFTER DELETE ON reg_activities BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_checkups_dv_insert AFTER INSERT ON reg_checkups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_checkups_dv_update AFTER UPDATE ON reg_checkups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_checkups_dv_delete AFTER DELETE ON reg_checkups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_chronic_dv_insert AFTER INSERT ON reg_chronic BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_chronic_dv_update AFTER UPDATE ON reg_chronic BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_chronic_dv_delete AFTER DELETE ON reg_chronic BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_contracts_dv_insert AFTER INSERT ON reg_contracts BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_contracts_dv_update AFTER UPDATE ON reg_contracts BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_contracts_dv_delete AFTER DELETE ON reg_contracts BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_env_inspections_dv_insert AFTER INSERT ON reg_env_inspections BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_env_inspections_dv_update AFTER UPDATE ON reg_env_inspections BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_env_inspections_dv_delete AFTER DELETE ON reg_env_inspections BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_expenses_dv_insert AFTER INSERT ON reg_expenses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_expenses_dv_update AFTER UPDATE ON reg_expenses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_expenses_dv_delete AFTER DELETE ON reg_expenses BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_followups_dv_insert AFTER INSERT ON reg_followups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_followups_dv_update AFTER UPDATE ON reg_followups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_followups_dv_delete AFTER DELETE ON reg_followups BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_health_records_dv_insert AFTER INSERT ON reg_health_records BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_health_records_dv_update AFTER UPDATE ON reg_health_records BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_health_records_dv_delete AFTER DELETE ON reg_health_records BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_insurance_dv_insert AFTER INSERT ON reg_insurance BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_insurance_dv_update AFTER UPDATE ON reg_insurance BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_insurance_dv_delete AFTER DELETE ON reg_insurance BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_poverty_dv_insert AFTER INSERT ON reg_poverty BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_poverty_dv_update AFTER UPDATE ON reg_poverty BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_poverty_dv_delete AFTER DELETE ON reg_poverty BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_sanitation_dv_insert AFTER INSERT ON reg_sanitation BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_sanitation_dv_update AFTER UPDATE ON reg_sanitation BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reg_sanitation_dv_delete AFTER DELETE ON reg_sanitation BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;

-- Covering indexes for the existence tests of the shipped indicators
-- (has(contracts, overlap), has(health_records, asof), check-ups by date —
-- also the due lists —,
-- chronic patients, sanitation), for the household baseline (members with
-- an ID number) and for the scan of the resident population.
CREATE INDEX reg_contracts_person_span ON reg_contracts (person_id, start_date, end_date, active);
CREATE INDEX reg_health_records_person_date ON reg_health_records (person_id, opened_date, active);
CREATE INDEX reg_checkups_person_date ON reg_checkups (person_id, exam_date, active);
CREATE INDEX reg_chronic_person_date ON reg_chronic (person_id, diagnosed_date, active);
CREATE INDEX reg_sanitation_household_status ON reg_sanitation (household_id, checked_date, toilet, tap_water, active);
CREATE INDEX persons_household_id_number ON persons (household_id, status, id_number);
CREATE INDEX persons_village_indicators ON persons (village_code, status, resident, registered, birth_date);
