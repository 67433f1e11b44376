-- A county's own indicators (the shipped ones are catalog/indicators/*.yaml).
-- body is the definition as JSON, checked against the registers when saved.
CREATE TABLE indicators (
	code       TEXT PRIMARY KEY,
	county     TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX indicators_county ON indicators (county);

-- Indicator results are cached per data version: a counter bumped, in the
-- writing transaction, by every statement that changes a table indicators
-- read. A reader sees the new number only once the write has committed, so
-- a result cached under a version is never older than that version.
-- (SQLite uses PRAGMA data_version instead.) A new register table needs
-- the same trigger.
CREATE TABLE data_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE data_version SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['persons', 'households', 'questionnaire_responses', 'indicators', 'reg_activities', 'reg_checkups',
		'reg_chronic', 'reg_contracts', 'reg_env_inspections', 'reg_expenses', 'reg_followups', 'reg_health_records',
		'reg_insurance', 'reg_poverty', 'reg_sanitation'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
			t || '_data_version', t);
	END LOOP;
END $$;

-- Covering indexes for the existence tests of the shipped indicators, the
-- household baseline and the scan of the resident population.
CREATE INDEX reg_contracts_person_span ON reg_contracts (person_id, start_date, end_date, active);
CREATE INDEX reg_health_records_person_date ON reg_health_records (person_id, opened_date, active);
CREATE INDEX reg_checkups_person_date ON reg_checkups (person_id, exam_date, active);
CREATE INDEX reg_chronic_person_date ON reg_chronic (person_id, diagnosed_date, active);
CREATE INDEX reg_sanitation_household_status ON reg_sanitation (household_id, checked_date, toilet, tap_water, active);
CREATE INDEX persons_household_id_number ON persons (household_id, status, id_number);
CREATE INDEX persons_village_indicators ON persons (village_code, status, resident, registered, birth_date);
