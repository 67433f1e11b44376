-- Per-village data versions (issue 4: indicators stay current and cheap).
-- village_versions holds, for every village whose data changed, a counter
-- bumped in the writing transaction by every change to a table indicators
-- or village pages read. The villages a change touches are the row's own
-- village and the current village of the person and of the household the
-- row names (a register entry keeps the village it was recorded in; the
-- person may have moved since). A cache entry for a village computed after
-- reading its counter is never older than the data; it is recomputed when
-- the counter moves. Bulk loads drop (SQLite) or skip (PostgreSQL: SET LOCAL healthcell.bulk = 'on') these
-- triggers and bump data_version.epoch instead, which empties every
-- per-village cache. A new register table needs the same triggers.

-- Per-village queries over the responses read one village's rows of the
-- period (questionnaire_responses_village leads with the questionnaire,
-- which measures test inside their aggregates).
CREATE INDEX questionnaire_responses_village_date ON questionnaire_responses (village_code, survey_date);

CREATE TABLE village_versions (
	village_code TEXT PRIMARY KEY,
	n            BIGINT NOT NULL
);
ALTER TABLE data_version ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION village_versions_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('healthcell.bulk', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM new_rows
			UNION SELECT h.village_code FROM new_rows r JOIN households h ON h.id = r.household_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM old_rows
			UNION SELECT h.village_code FROM old_rows r JOIN households h ON h.id = r.household_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION village_versions_households() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('healthcell.bulk', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM new_rows) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM old_rows) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION village_versions_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('healthcell.bulk', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM new_rows
			UNION SELECT p.village_code FROM new_rows r JOIN persons p ON p.id = r.person_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM old_rows
			UNION SELECT p.village_code FROM old_rows r JOIN persons p ON p.id = r.person_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION village_versions_register() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('healthcell.bulk', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM new_rows
			UNION SELECT p.village_code FROM new_rows r JOIN persons p ON p.id = r.person_id
			UNION SELECT h.village_code FROM new_rows r JOIN households h ON h.id = r.household_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO village_versions (village_code, n)
		SELECT DISTINCT v, 1 FROM (SELECT village_code AS v FROM old_rows
			UNION SELECT p.village_code FROM old_rows r JOIN persons p ON p.id = r.person_id
			UNION SELECT h.village_code FROM old_rows r JOIN households h ON h.id = r.household_id) x WHERE v IS NOT NULL ORDER BY v
		ON CONFLICT (village_code) DO UPDATE SET n = village_versions.n + 1;
	END IF;
	RETURN NULL;
END $$;

-- TRUNCATE has no transition table: it empties every cache.
CREATE FUNCTION village_versions_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE data_version SET epoch = epoch + 1 WHERE id = 1;
	RETURN NULL;
END $$;
DO $$
DECLARE
	t text;
	fn text;
BEGIN
	FOREACH t IN ARRAY ARRAY['persons', 'households', 'questionnaire_responses', 'reg_activities', 'reg_checkups',
		'reg_chronic', 'reg_contracts', 'reg_env_inspections', 'reg_expenses', 'reg_followups', 'reg_health_records',
		'reg_insurance', 'reg_poverty', 'reg_sanitation'] LOOP
		fn := CASE t WHEN 'persons' THEN 'village_versions_persons' WHEN 'households' THEN 'village_versions_households'
			WHEN 'questionnaire_responses' THEN 'village_versions_responses' ELSE 'village_versions_register' END;
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_dv_village_insert', t, fn);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_dv_village_update', t, fn);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_dv_village_delete', t, fn);
		EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION village_versions_truncate()', t || '_dv_village_truncate', t);
	END LOOP;
END $$;
