package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// personRegisters are the registers whose entries are about a resident.
func (db *DB) personRegisters() []*register.Def {
	var out []*register.Def
	for _, d := range db.Registers().All() {
		if d.Subject == register.Person {
			out = append(out, d)
		}
	}
	return out
}

// Reconcile compares the person registers with the residents under
// f.Division and returns the differences, each marked resolved when a
// resolution for its current data exists. It returns EFORBIDDEN when the
// caller does not see personal data there and ENOTFOUND for a division out
// of scope.
func (db *DB) Reconcile(ctx context.Context, f healthcell.ReconcileFilter) ([]*healthcell.Difference, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi, err := scopeRange(a, f.Division, a.CoversDivision)
	if err != nil {
		return nil, err
	}
	div := healthcell.NormalizeCode(f.Division)
	if div == "" {
		div = a.Scope
	}
	if !a.System && !a.SeesPersonal(div) {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	var out []*healthcell.Difference
	for _, find := range []struct {
		kind string
		fn   func(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error)
	}{
		{healthcell.DiffUnmatched, db.unmatched},
		{healthcell.DiffNames, db.nameDifferences},
		{healthcell.DiffTwoHouseholds, db.twoHouseholds},
		{healthcell.DiffVillage, db.villageDifferences},
		{healthcell.DiffIDClaim, func(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error) {
			return db.idClaims(ctx, a, lo, hi)
		}},
	} {
		if f.Kind != "" && f.Kind != find.kind {
			continue
		}
		ds, err := find.fn(ctx, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("reconcile %s: %w", find.kind, err)
		}
		out = append(out, ds...)
	}
	if err := db.markResolved(ctx, out, lo, hi); err != nil {
		return nil, err
	}
	if err := db.nameVillages(ctx, out); err != nil {
		return nil, err
	}
	if !f.Resolved {
		kept := out[:0]
		for _, d := range out {
			if !d.Resolved {
				kept = append(kept, d)
			}
		}
		out = kept
	}
	return out, nil
}

// unmatched finds active entries whose recorded ID number is no active
// resident's (held or claimed).
func (db *DB) unmatched(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error) {
	var out []*healthcell.Difference
	for _, d := range db.personRegisters() {
		rows, err := db.r.QueryContext(ctx, `SELECT r.id, r.village_code, r.id_number, r.subject_name, COALESCE(r.person_id, 0) FROM `+d.Table+` r
			WHERE r.active AND r.village_code BETWEEN $1 AND $2 AND r.id_number <> ''
			AND NOT EXISTS (SELECT 1 FROM persons p WHERE (p.id_number = r.id_number OR p.id_claim = r.id_number) AND p.status = 'active')
			ORDER BY r.village_code, r.id`, lo, hi)
		if err != nil {
			return nil, err
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var pl healthcell.DiffPlace
			var id int64
			if err := rows.Scan(&id, &pl.Village, &pl.IDNumber, &pl.Name, &pl.PersonID); err != nil {
				return err
			}
			pl.Source, pl.Count = d.Code, 1
			out = append(out, &healthcell.Difference{Kind: healthcell.DiffUnmatched, Key: fmt.Sprintf("unmatched:%s:%d", d.Code, id),
				Fingerprint: pl.IDNumber + "|" + pl.Name, Division: pl.Village, IDNumber: pl.IDNumber, Register: d.Code, EntryID: id,
				PersonID: pl.PersonID, Places: []healthcell.DiffPlace{pl}})
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordedNames is every (ID number, name, source, village) the residents
// and the person registers hold under a division, as one UNION ALL.
func (db *DB) recordedNames() string {
	parts := []string{`SELECT id_number, name, 'residents' AS src, village_code FROM persons
		WHERE status = 'active' AND id_number IS NOT NULL AND village_code BETWEEN $1 AND $2`}
	for _, d := range db.personRegisters() {
		parts = append(parts, `SELECT id_number, subject_name, '`+d.Code+`', village_code FROM `+d.Table+`
			WHERE active AND id_number <> '' AND village_code BETWEEN $1 AND $2`)
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// nameDifferences finds ID numbers recorded with more than one name.
func (db *DB) nameDifferences(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error) {
	rows, err := db.r.QueryContext(ctx, `WITH u AS (`+db.recordedNames()+`),
		bad AS (SELECT id_number FROM u GROUP BY id_number HAVING COUNT(DISTINCT name) > 1)
		SELECT u.id_number, u.name, u.src, MIN(u.village_code), COUNT(*) FROM u JOIN bad ON bad.id_number = u.id_number
		GROUP BY u.id_number, u.name, u.src ORDER BY 1, 2, 3`, lo, hi)
	if err != nil {
		return nil, err
	}
	var out []*healthcell.Difference
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var pl healthcell.DiffPlace
		if err := rows.Scan(&pl.IDNumber, &pl.Name, &pl.Source, &pl.Village, &pl.Count); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].IDNumber != pl.IDNumber {
			out = append(out, &healthcell.Difference{Kind: healthcell.DiffNames, Key: "names:" + pl.IDNumber, IDNumber: pl.IDNumber, Division: pl.Village})
		}
		d := out[len(out)-1]
		d.Places = append(d.Places, pl)
		if pl.Source == "residents" {
			d.Division = pl.Village
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, d := range out {
		d.Fingerprint = fingerprint(d.Places, func(p healthcell.DiffPlace) string { return p.Source + "=" + p.Name })
	}
	return out, nil
}

// twoHouseholds finds active residents of the same name, sex and birth date
// in different households where an ID number cannot tell them apart (at
// least one of them has none; a claimed number counts as one, its
// collisions being DiffIDClaim's).
func (db *DB) twoHouseholds(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT p.name, p.sex, p.birth_date, p.id, p.household_id, p.village_code, COALESCE(p.id_number, p.id_claim, '')
		FROM persons p JOIN (
			SELECT name, sex, birth_date FROM persons WHERE status = 'active' AND village_code BETWEEN $1 AND $2
			GROUP BY name, sex, birth_date
			HAVING COUNT(DISTINCT household_id) > 1 AND COUNT(COALESCE(id_number, id_claim)) < COUNT(*)
		) d ON d.name = p.name AND d.sex = p.sex AND d.birth_date = p.birth_date
		WHERE p.status = 'active' AND p.village_code BETWEEN $1 AND $2
		ORDER BY p.name, p.sex, p.birth_date, p.id`, lo, hi)
	if err != nil {
		return nil, err
	}
	var out []*healthcell.Difference
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var name, sex, birth string
		var pl healthcell.DiffPlace
		if err := rows.Scan(&name, &sex, &birth, &pl.PersonID, &pl.Household, &pl.Village, &pl.IDNumber); err != nil {
			return err
		}
		pl.Source, pl.Name, pl.Count = "residents", name, 1
		key := "two_households:" + name + "|" + sex + "|" + birth
		if len(out) == 0 || out[len(out)-1].Key != key {
			out = append(out, &healthcell.Difference{Kind: healthcell.DiffTwoHouseholds, Key: key, Division: pl.Village, PersonID: pl.PersonID})
		}
		out[len(out)-1].Places = append(out[len(out)-1].Places, pl)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, d := range out {
		d.Fingerprint = fingerprint(d.Places, func(p healthcell.DiffPlace) string { return fmt.Sprintf("%d@%d", p.PersonID, p.Household) })
	}
	return out, nil
}

// villageDifferences finds residents with entries recorded in another
// village than the one they live in.
func (db *DB) villageDifferences(ctx context.Context, lo, hi string) ([]*healthcell.Difference, error) {
	byPerson := map[int64]*healthcell.Difference{}
	var order []int64
	for _, d := range db.personRegisters() {
		rows, err := db.r.QueryContext(ctx, `SELECT p.id, p.name, COALESCE(p.id_number, p.id_claim), p.village_code, r.village_code, COUNT(*) FROM `+d.Table+` r
			JOIN persons p ON p.id = r.person_id
			WHERE r.active AND r.village_code <> p.village_code AND p.status = 'active'
			AND (r.village_code BETWEEN $1 AND $2 OR p.village_code BETWEEN $1 AND $2)
			GROUP BY p.id, p.name, p.id_number, p.id_claim, p.village_code, r.village_code`, lo, hi)
		if err != nil {
			return nil, err
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var pid int64
			var name, home string
			var idn sql.NullString
			var pl healthcell.DiffPlace
			if err := rows.Scan(&pid, &name, &idn, &home, &pl.Village, &pl.Count); err != nil {
				return err
			}
			diff := byPerson[pid]
			if diff == nil {
				diff = &healthcell.Difference{Kind: healthcell.DiffVillage, Key: fmt.Sprintf("village:%d", pid), Division: home,
					PersonID: pid, IDNumber: idn.String,
					Places: []healthcell.DiffPlace{{Source: "residents", Village: home, Name: name, PersonID: pid, Count: 1}}}
				byPerson[pid] = diff
				order = append(order, pid)
			}
			pl.Source, pl.Name, pl.PersonID = d.Code, name, pid
			diff.Places = append(diff.Places, pl)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	out := make([]*healthcell.Difference, 0, len(order))
	for _, pid := range order {
		d := byPerson[pid]
		d.Fingerprint = fingerprint(d.Places, func(p healthcell.DiffPlace) string { return fmt.Sprintf("%s@%s×%d", p.Source, p.Village, p.Count) })
		out = append(out, d)
	}
	return out, nil
}

// fingerprint joins the sorted descriptions of places.
func fingerprint(places []healthcell.DiffPlace, describe func(healthcell.DiffPlace) string) string {
	s := make([]string, len(places))
	for i, p := range places {
		s[i] = describe(p)
	}
	sort.Strings(s)
	return strings.Join(s, ";")
}

// markResolved sets Resolved (and the note) on differences whose stored
// resolution has the same fingerprint.
func (db *DB) markResolved(ctx context.Context, ds []*healthcell.Difference, lo, hi string) error {
	if len(ds) == 0 {
		return nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT key, fingerprint, note, resolved_by, resolved_at FROM reconcile_resolutions
		WHERE division BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return fmt.Errorf("resolutions: %w", err)
	}
	type res struct {
		fp, note, by string
		at           time.Time
	}
	byKey := map[string]res{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var k string
		var r res
		if err := rows.Scan(&k, &r.fp, &r.note, &r.by, &r.at); err != nil {
			return err
		}
		byKey[k] = r
		return nil
	}); err != nil {
		return err
	}
	for _, d := range ds {
		if r, ok := byKey[d.Key]; ok && r.fp == d.Fingerprint {
			d.Resolved, d.Note, d.ResolvedBy, d.ResolvedAt = true, r.note, r.by, r.at
		}
	}
	return nil
}

// nameVillages fills the village names of every place.
func (db *DB) nameVillages(ctx context.Context, ds []*healthcell.Difference) error {
	names := map[string]string{}
	for _, d := range ds {
		for _, p := range d.Places {
			names[p.Village] = ""
		}
	}
	for code := range names {
		var name string
		err := db.r.QueryRowContext(ctx, `SELECT name FROM divisions WHERE code = $1`, code).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		names[code] = name
	}
	for _, d := range ds {
		for i := range d.Places {
			d.Places[i].VillageName = names[d.Places[i].Village]
		}
	}
	return nil
}

// ResolveDifference records that the difference key, as it is now
// (fingerprint), was looked at and settled, with a note. It returns EINVALID
// without a note, ENOTFOUND when no current difference in the caller's scope
// has that key, and ECONFLICT when its data changed since it was read.
func (db *DB) ResolveDifference(ctx context.Context, key, fp, note string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 500 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "note", Message: "reconcile.note_required"}})
	}
	kind, _, _ := strings.Cut(key, ":")
	ds, err := db.Reconcile(ctx, healthcell.ReconcileFilter{Kind: kind, Resolved: true})
	if err != nil {
		return err
	}
	var found *healthcell.Difference
	for _, d := range ds {
		if d.Key == key {
			found = d
		}
	}
	if found == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.difference")
	}
	if found.Fingerprint != fp {
		return healthcell.Errorf(healthcell.ECONFLICT, "reconcile.changed")
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reconcile_resolutions WHERE key = $1`, key); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reconcile_resolutions (key, fingerprint, division, note, resolved_by, resolved_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, key, fp, found.Division, note, a.Username, tx.now); err != nil {
			return fmt.Errorf("resolve: %w", err)
		}
		return tx.audit(ctx, "resolve", "reconcile", key, found.Division, nil, map[string]any{"fingerprint": fp, "note": note})
	})
}
