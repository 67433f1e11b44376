-- PostgreSQL writers in parallel (issue 13, item 8). The statement triggers
-- of migration 0008 updated the one data_version row in every writing
-- transaction, so every writer waited for the one before it to commit. The
-- data version is now a sequence: nextval takes no row lock and is not
-- undone by a rollback, so writers in different villages never wait for
-- each other. A sequence moves before the writer commits, so the trigger
-- also marks the session (healthcell.changed, undone with the transaction
-- if it rolls back), and DB.write moves the sequence once more after the
-- commit when the mark is set: a reader that read the version before that
-- second move and computed without the write caches its result under a
-- version that is then already gone. data_version.n is no longer written
-- on PostgreSQL; data_version.epoch still is (bulk loads, LoadDivisions,
-- TRUNCATE), transactionally, and is part of the version readers compare.
CREATE SEQUENCE data_version_seq;
SELECT setval('data_version_seq', (SELECT n + 1 FROM data_version WHERE id = 1));
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('data_version_seq');
	PERFORM set_config('healthcell.changed', 'on', false);
	RETURN NULL;
END $$;
