-- The division whose 爱卫会 named the unit: its county, or the city or
-- province for a title named above the county (recommended upward).
ALTER TABLE applications ADD COLUMN named_by TEXT NOT NULL DEFAULT '';
UPDATE applications SET named_by = substr(division, 1, 6) || '000000' WHERE certificate_no IS NOT NULL;
