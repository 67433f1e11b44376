package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// subjectOf is what an entry records of its subject: the village, and for a
// person the ID number and name as they are at the time of recording.
type subjectOf struct {
	village, idNumber, name string
}

// subject resolves an input's subject, checking that the caller may write
// there. It returns the field errors for a missing or out-of-scope subject.
func (tx *Tx) subject(ctx context.Context, d *register.Def, in *healthcell.EntryInput) (subjectOf, []healthcell.FieldError) {
	village, person, errs := tx.subjectVillage(ctx, d, in)
	sub := subjectOf{village: village}
	if person != nil {
		sub.idNumber, sub.name = person.IDNumber, person.Name
	}
	return sub, errs
}

func (tx *Tx) subjectVillage(ctx context.Context, d *register.Def, in *healthcell.EntryInput) (string, *healthcell.Person, []healthcell.FieldError) {
	a := tx.actor
	switch d.Subject {
	case register.Person:
		if in.PersonID == 0 {
			return "", nil, []healthcell.FieldError{{Field: "person", Message: "register.person_required"}}
		}
		p, err := findPerson(ctx, tx, in.PersonID)
		if err != nil || !mayWriteEntries(a, d, p.VillageCode) || p.Status != "active" {
			return "", nil, []healthcell.FieldError{{Field: "person", Message: "person.not_found", Value: fmt.Sprint(in.PersonID)}}
		}
		in.HouseholdID, in.UnitID = 0, 0
		return p.VillageCode, p, nil
	case register.Household:
		if in.HouseholdID == 0 {
			return "", nil, []healthcell.FieldError{{Field: "household", Message: "register.household_required"}}
		}
		h, err := findHousehold(ctx, tx, in.HouseholdID)
		if err != nil || !mayWriteEntries(a, d, h.VillageCode) || !h.Active {
			return "", nil, []healthcell.FieldError{{Field: "household", Message: "household.not_found", Value: fmt.Sprint(in.HouseholdID)}}
		}
		in.PersonID, in.UnitID = 0, 0
		return h.VillageCode, nil, nil
	}
	in.PersonID, in.HouseholdID = 0, 0
	if d.Subject == register.Unit && in.UnitID == 0 {
		return "", nil, []healthcell.FieldError{{Field: "unit", Message: "register.unit_required"}}
	}
	if in.UnitID != 0 {
		if !d.Units {
			in.UnitID = 0
		} else {
			u, err := findUnit(ctx, tx, in.UnitID)
			if err != nil || !(mayWriteEntries(a, d, u.Division) || (a.Role == healthcell.RoleUnit && a.Unit == fmt.Sprint(u.ID))) {
				return "", nil, []healthcell.FieldError{{Field: "unit", Message: "register.unit_not_found", Value: fmt.Sprint(in.UnitID)}}
			}
			if healthcell.CodeLevel(u.Division) == healthcell.LevelVillage {
				return u.Division, nil, nil
			}
			if in.VillageCode == "" {
				return "", nil, []healthcell.FieldError{{Field: "village", Message: "division.village.invalid"}}
			}
		}
	}
	code := healthcell.NormalizeCode(in.VillageCode)
	if healthcell.CodeLevel(code) != healthcell.LevelVillage || !(mayWriteEntries(a, d, code) || in.UnitID != 0 && a.Role == healthcell.RoleUnit) {
		return "", nil, []healthcell.FieldError{{Field: "village", Message: "division.village.invalid", Value: in.VillageCode}}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM divisions WHERE code = $1`, code).Scan(&n); err != nil || n == 0 {
		return "", nil, []healthcell.FieldError{{Field: "village", Message: "division.village.invalid", Value: in.VillageCode}}
	}
	return code, nil, nil
}

// fieldArgs returns the register's field values in definition order, nil
// for absent optional values.
func fieldArgs(d *register.Def, v register.Values) []any {
	out := make([]any, len(d.Fields))
	for i, f := range d.Fields {
		out[i] = v[f.Code]
		if out[i] == nil && (f.Type == register.Text || f.Type == register.Date || f.Type == register.Enum) {
			out[i] = ""
		}
	}
	return out
}

// duplicate returns a field error when an active entry other than self
// already has the values of d's unique columns.
func (tx *Tx) duplicate(ctx context.Context, d *register.Def, in healthcell.EntryInput, v register.Values, self int64) []healthcell.FieldError {
	if len(d.Unique) == 0 {
		return nil
	}
	where := []string{"active", "id <> $1"}
	args := []any{self}
	for _, c := range d.Unique {
		var x any
		switch c {
		case "person_id":
			x = in.PersonID
		case "household_id":
			x = in.HouseholdID
		default:
			x = v[c]
		}
		args = append(args, x)
		where = append(where, fmt.Sprintf("%s = $%d", c, len(args)))
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.Table+" WHERE "+strings.Join(where, " AND "), args...).Scan(&n); err != nil || n > 0 {
		field := d.Unique[len(d.Unique)-1]
		field = strings.TrimSuffix(field, "_id")
		return []healthcell.FieldError{{Field: field, Message: "register.duplicate"}}
	}
	return nil
}

// CreateEntry parses in.Fields by the register's definition and stores a new
// entry in one transaction with its audit record. It returns ENOTFOUND for an
// unknown register, EFORBIDDEN for a role that writes no registers, and
// EINVALID listing every bad field — a subject outside the caller's scope
// included.
func (db *DB) CreateEntry(ctx context.Context, in healthcell.EntryInput) (*healthcell.Entry, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	d, err := db.registerDef(in.Register)
	if err != nil {
		return nil, err
	}
	if !a.System && !mayWriteEntries(a, d, a.Scope) && !(d.Units && a.Role == healthcell.RoleUnit) {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	vals, parseErrs := d.ParseValues(in.Fields, db.Now())
	var out *healthcell.Entry
	var ferrs []healthcell.FieldError
	err = db.write(ctx, func(tx *Tx) error {
		sub, serrs := tx.subject(ctx, d, &in)
		ferrs = append(serrs, parseErrs...)
		if len(ferrs) == 0 {
			ferrs = tx.duplicate(ctx, d, in, vals, 0)
		}
		if len(ferrs) == 0 {
			if ferrs, err = populationChecks(ctx, tx, d, sub.village, vals); err != nil {
				return err
			}
		}
		if len(ferrs) > 0 {
			return healthcell.Invalid(ferrs)
		}
		cols := []string{"village_code", "person_id", "household_id", "unit_id", "id_number", "subject_name", "created_by", "created_at", "updated_at"}
		args := []any{sub.village, nullID(in.PersonID), nullID(in.HouseholdID), nullID(in.UnitID), sub.idNumber, sub.name, a.Username, tx.now, tx.now}
		for i, f := range d.Fields {
			cols = append(cols, f.Code)
			args = append(args, fieldArgs(d, vals)[i])
		}
		ph := make([]string, len(cols))
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO "+d.Table+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(ph, ", ")+") RETURNING id", args...).Scan(&id); err != nil {
			return fmt.Errorf("insert %s: %w", d.Code, err)
		}
		e, err := db.findEntry(ctx, tx, d, id)
		if err != nil {
			return err
		}
		out = e
		shown := *e
		tx.keepAnswer(presentEntry(a, &shown))
		return tx.audit(ctx, "create", "register."+d.Code, id, sub.village, nil, auditValues(e))
	})
	if err != nil {
		return nil, err
	}
	return presentEntry(a, out), nil
}

// UpdateEntry replaces an entry's fields when in.Version is the stored
// version. It returns ENOTFOUND when the entry is not the caller's to write,
// ECONFLICT for a stale version, EINVALID for bad fields.
func (db *DB) UpdateEntry(ctx context.Context, id int64, in healthcell.EntryInput) (*healthcell.Entry, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	d, err := db.registerDef(in.Register)
	if err != nil {
		return nil, err
	}
	vals, ferrs := d.ParseValues(in.Fields, db.Now())
	var out *healthcell.Entry
	err = db.write(ctx, func(tx *Tx) error {
		before, err := db.findEntry(ctx, tx, d, id)
		if err != nil || !before.Active || !db.mayChange(a, d, before) {
			return notFound("entry")
		}
		if in.Version != before.Version {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		in.PersonID, in.HouseholdID, in.UnitID = before.PersonID, before.HouseholdID, before.UnitID
		if len(ferrs) == 0 {
			ferrs = tx.duplicate(ctx, d, in, vals, id)
		}
		if len(ferrs) == 0 {
			if ferrs, err = populationChecks(ctx, tx, d, before.VillageCode, vals); err != nil {
				return err
			}
		}
		if len(ferrs) > 0 {
			return healthcell.Invalid(ferrs)
		}
		set := []string{"version = version + 1", "updated_at = $1"}
		args := []any{tx.now}
		for i, f := range d.Fields {
			args = append(args, fieldArgs(d, vals)[i])
			set = append(set, fmt.Sprintf("%s = $%d", f.Code, len(args)))
		}
		args = append(args, id, in.Version)
		res, err := tx.ExecContext(ctx, "UPDATE "+d.Table+" SET "+strings.Join(set, ", ")+
			fmt.Sprintf(" WHERE id = $%d AND version = $%d", len(args)-1, len(args)), args...)
		if err != nil {
			return fmt.Errorf("update %s: %w", d.Code, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		after, err := db.findEntry(ctx, tx, d, id)
		if err != nil {
			return err
		}
		out = after
		shown := *after
		tx.keepAnswer(presentEntry(a, &shown))
		return tx.audit(ctx, "update", "register."+d.Code, id, after.VillageCode, auditValues(before), auditValues(after))
	})
	if err != nil {
		return nil, err
	}
	return presentEntry(a, out), nil
}

// DeactivateEntry withdraws an entry (it stays, inactive, for the history)
// when version is current. It returns ENOTFOUND when the entry is not the
// caller's to write and ECONFLICT for a stale version.
func (db *DB) DeactivateEntry(ctx context.Context, code string, id int64, version int) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	d, err := db.registerDef(code)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		before, err := db.findEntry(ctx, tx, d, id)
		if err != nil || !before.Active || !db.mayChange(a, d, before) {
			return notFound("entry")
		}
		res, err := tx.ExecContext(ctx, "UPDATE "+d.Table+" SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
			false, tx.now, id, version)
		if err != nil {
			return fmt.Errorf("deactivate %s: %w", d.Code, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		return tx.audit(ctx, "deactivate", "register."+d.Code, id, before.VillageCode, auditValues(before), nil)
	})
}

// mayChange reports whether a may change the existing entry e.
func (db *DB) mayChange(a *healthcell.Actor, d *register.Def, e *healthcell.Entry) bool {
	if mayWriteEntries(a, d, e.VillageCode) {
		return true
	}
	return d.Units && e.UnitID != 0 && a.Role == healthcell.RoleUnit && a.Unit == fmt.Sprint(e.UnitID)
}

// auditValues is what the audit log keeps of an entry: its subject and values.
func auditValues(e *healthcell.Entry) map[string]any {
	return map[string]any{"person_id": e.PersonID, "household_id": e.HouseholdID, "unit_id": e.UnitID,
		"village_code": e.VillageCode, "values": e.Values, "version": e.Version}
}
