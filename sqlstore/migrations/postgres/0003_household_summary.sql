-- A household's active member count and its head's name, kept on the row so
-- that a village's household list is one index range scan instead of two
-- correlated subqueries per row. Every write of a person or a household
-- recomputes them in its own transaction (Tx.refreshHouseholds); `healthcell
-- check` compares them with the rows.
ALTER TABLE households ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
UPDATE households SET
	members = (SELECT COUNT(*) FROM persons p WHERE p.household_id = households.id AND p.status = 'active'),
	head_name = COALESCE((SELECT p.name FROM persons p WHERE p.id = households.head_id), '');
