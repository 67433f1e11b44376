-- The division (province, city or county) whose 爱卫会 owns a standard:
-- only that office loads new versions of its code, and the standard
-- applies in its division. '' for versions stored before owners existed,
-- which apply everywhere.
ALTER TABLE standards ADD COLUMN owner TEXT NOT NULL DEFAULT '';
