-- Status and residence history (issue 12 item 5: numbers as of their period).
-- persons.since is the day (YYYY-MM-DD, Asia/Shanghai) from which the row's
-- household, village, status, relation, registered and resident hold; ''
-- means since the person's birth, as far as the record knows (created,
-- bulk-loaded and imported persons). Every write that changes one of these
-- values on a later day first copies the row's span into person_history
-- (valid_from = since, valid_to = the day of the change, exclusive) and moves
-- since to that day, in the same transaction. Name, sex, birth date and ID
-- number are corrections, not events: they are read from persons for every
-- span. households.since and household_history do the same for a household's
-- village and group. An indicator for a past period counts the live rows
-- whose since is not after the period's end and the spans covering it.
ALTER TABLE persons ADD COLUMN since TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN since TEXT NOT NULL DEFAULT '';

CREATE TABLE person_history (
	id           INTEGER PRIMARY KEY,
	person_id    INTEGER NOT NULL REFERENCES persons (id),
	household_id INTEGER NOT NULL,
	village_code TEXT NOT NULL,
	status       TEXT NOT NULL,
	relation     TEXT NOT NULL,
	registered   BOOLEAN NOT NULL,
	resident     BOOLEAN NOT NULL,
	valid_from   TEXT NOT NULL,
	valid_to     TEXT NOT NULL
);
CREATE INDEX person_history_village ON person_history (village_code, valid_to);
CREATE INDEX person_history_person ON person_history (person_id);
CREATE INDEX person_history_household ON person_history (household_id);

CREATE TABLE household_history (
	id           INTEGER PRIMARY KEY,
	household_id INTEGER NOT NULL REFERENCES households (id),
	village_code TEXT NOT NULL,
	grp          TEXT NOT NULL,
	active       BOOLEAN NOT NULL,
	valid_from   TEXT NOT NULL,
	valid_to     TEXT NOT NULL
);
CREATE INDEX household_history_village ON household_history (village_code, valid_to);
CREATE INDEX household_history_household ON household_history (household_id);

-- The deaths and moves away recorded so far, with their dates: active until then.
INSERT INTO person_history (person_id, household_id, village_code, status, relation, registered, resident, valid_from, valid_to)
SELECT id, household_id, village_code, 'active', relation, registered, resident, '', status_date
FROM persons WHERE status <> 'active' AND status_date <> '';
UPDATE persons SET since = status_date WHERE status <> 'active' AND status_date <> '';

-- Whether a respondent was a permanent resident (常住) when surveyed: the
-- literacy survey counts permanent residents only.
ALTER TABLE questionnaire_responses ADD COLUMN resident BOOLEAN NOT NULL DEFAULT 1;

-- A value for a past period is cached per village like a current one
-- (village_cache.go), so a write must also mark the villages where the
-- persons and households it names were in the past: a correction of a
-- person who has since moved, or an entry recorded late for them, changes
-- the past values of the village they lived in then. These triggers add
-- the villages of the history spans (named *_dv_* so that bulk loads drop
-- or skip them with the others). A new register table needs them too.

CREATE TRIGGER persons_dv_history_update AFTER UPDATE ON persons BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER households_dv_history_update AFTER UPDATE ON households BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM household_history WHERE household_id = NEW.id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER persons_dv_history_delete AFTER DELETE ON persons BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER households_dv_history_delete AFTER DELETE ON households BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM household_history WHERE household_id = OLD.id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER questionnaire_responses_dv_history_insert AFTER INSERT ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER questionnaire_responses_dv_history_update AFTER UPDATE ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER questionnaire_responses_dv_history_delete AFTER DELETE ON questionnaire_responses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_activities_dv_history_insert AFTER INSERT ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_activities_dv_history_update AFTER UPDATE ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_activities_dv_history_delete AFTER DELETE ON reg_activities BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_checkups_dv_history_insert AFTER INSERT ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_checkups_dv_history_update AFTER UPDATE ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_checkups_dv_history_delete AFTER DELETE ON reg_checkups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_chronic_dv_history_insert AFTER INSERT ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_chronic_dv_history_update AFTER UPDATE ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_chronic_dv_history_delete AFTER DELETE ON reg_chronic BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_contracts_dv_history_insert AFTER INSERT ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_contracts_dv_history_update AFTER UPDATE ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_contracts_dv_history_delete AFTER DELETE ON reg_contracts BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_env_inspections_dv_history_insert AFTER INSERT ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_env_inspections_dv_history_update AFTER UPDATE ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_env_inspections_dv_history_delete AFTER DELETE ON reg_env_inspections BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_expenses_dv_history_insert AFTER INSERT ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_expenses_dv_history_update AFTER UPDATE ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_expenses_dv_history_delete AFTER DELETE ON reg_expenses BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_followups_dv_history_insert AFTER INSERT ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_followups_dv_history_update AFTER UPDATE ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_followups_dv_history_delete AFTER DELETE ON reg_followups BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_health_records_dv_history_insert AFTER INSERT ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_health_records_dv_history_update AFTER UPDATE ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_health_records_dv_history_delete AFTER DELETE ON reg_health_records BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_insurance_dv_history_insert AFTER INSERT ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_insurance_dv_history_update AFTER UPDATE ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_insurance_dv_history_delete AFTER DELETE ON reg_insurance BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_poverty_dv_history_insert AFTER INSERT ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_poverty_dv_history_update AFTER UPDATE ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_poverty_dv_history_delete AFTER DELETE ON reg_poverty BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_sanitation_dv_history_insert AFTER INSERT ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_sanitation_dv_history_update AFTER UPDATE ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_sanitation_dv_history_delete AFTER DELETE ON reg_sanitation BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
