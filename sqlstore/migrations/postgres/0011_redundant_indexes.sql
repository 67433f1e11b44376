-- Two indexes of 0001 are prefixes of indexes 0008 added:
-- persons_village (village_code, status) of persons_village_indicators, and
-- persons_household (household_id, status) of persons_household_id_number.
-- Every query they served is served by the longer ones; each costs every
-- write of a person and a rebuild at every large import.
DROP INDEX persons_village;
DROP INDEX persons_household;
