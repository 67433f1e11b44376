-- The history triggers of migration 0015 for the register tables created after it
-- (0014, 0016): a write to an entry also marks the villages its person or
-- household lived in before, so a past period's cached value is recomputed.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['reg_village_env', 'reg_school_health', 'reg_hospital_health', 'reg_occupational_health', 'reg_family_health'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_versions_history()', t || '_dv_history_insert', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_versions_history()', t || '_dv_history_update', t);
		EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION village_versions_history()', t || '_dv_history_delete', t);
	END LOOP;
END $$;
