-- The history triggers of migration 0015 for the register tables created after it
-- (0014, 0016): a write to an entry also marks the villages its person or
-- household lived in before, so a past period's cached value is recomputed.
CREATE TRIGGER reg_village_env_dv_history_insert AFTER INSERT ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_village_env_dv_history_update AFTER UPDATE ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_village_env_dv_history_delete AFTER DELETE ON reg_village_env BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_school_health_dv_history_insert AFTER INSERT ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_school_health_dv_history_update AFTER UPDATE ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_school_health_dv_history_delete AFTER DELETE ON reg_school_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_hospital_health_dv_history_insert AFTER INSERT ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_hospital_health_dv_history_update AFTER UPDATE ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_hospital_health_dv_history_delete AFTER DELETE ON reg_hospital_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_occupational_health_dv_history_insert AFTER INSERT ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_occupational_health_dv_history_update AFTER UPDATE ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_occupational_health_dv_history_delete AFTER DELETE ON reg_occupational_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER reg_family_health_dv_history_insert AFTER INSERT ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_family_health_dv_history_update AFTER UPDATE ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = NEW.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = NEW.household_id
		UNION SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reg_family_health_dv_history_delete AFTER DELETE ON reg_family_health BEGIN
	INSERT INTO village_versions (village_code, n)
	SELECT v, 1 FROM (SELECT village_code AS v FROM person_history WHERE person_id = OLD.person_id
		UNION SELECT village_code FROM household_history WHERE household_id = OLD.household_id) WHERE v IS NOT NULL
	ON CONFLICT (village_code) DO UPDATE SET n = n + 1;
END;

