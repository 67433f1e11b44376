package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
)

// personColumns read a claimed number (person_idclaim.go) as the person's
// ID number: its owners see what they entered.
const personColumns = `id, household_id, village_code, name, COALESCE(id_number, id_claim, ''), sex, birth_date, relation, phone,
	registered, resident, status, status_date, version, created_at, updated_at, since`

func scanPerson(row interface{ Scan(...any) error }) (*healthcell.Person, error) {
	p := &healthcell.Person{}
	err := row.Scan(&p.ID, &p.HouseholdID, &p.VillageCode, &p.Name, &p.IDNumber, &p.Sex, &p.BirthDate, &p.Relation,
		&p.Phone, &p.Registered, &p.Resident, &p.Status, &p.StatusDate, &p.Version, &p.CreatedAt, &p.UpdatedAt, &p.Since)
	return p, err
}

// maskPerson hides the personal fields of p: the ID number (idcard.Mask),
// the phone, and the birth date, of which only the year is kept.
func maskPerson(p *healthcell.Person) {
	p.IDNumber = idcard.Mask(p.IDNumber)
	p.Phone = healthcell.MaskPhone(p.Phone)
	if p.BirthDate != "" {
		p.BirthYear, _ = strconv.Atoi(p.BirthDate[:min(4, len(p.BirthDate))])
		p.BirthDate = ""
	}
	p.Masked = true
}

// present masks p unless the actor owns its scope.
func present(a *healthcell.Actor, p *healthcell.Person) *healthcell.Person {
	if !a.SeesPersonal(p.VillageCode) {
		maskPerson(p)
	}
	return p
}

func findPerson(ctx context.Context, q queryer, id int64) (*healthcell.Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM persons WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("person")
	}
	if err != nil {
		return nil, fmt.Errorf("find person %d: %w", id, err)
	}
	return p, nil
}

// FindPerson returns the person if the caller may read its village, masked
// unless the caller owns it; ENOTFOUND otherwise.
func (db *DB) FindPerson(ctx context.Context, id int64) (*healthcell.Person, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPerson(ctx, db.r, id)
	if err != nil {
		return nil, err
	}
	if !a.CanReadPersons(p.VillageCode) {
		return nil, notFound("person")
	}
	return present(a, p), nil
}

// FindPersons returns a page of persons and the total. A query of digits is an
// ID-number prefix (only for callers who see personal data); anything else
// matches names. It returns ENOTFOUND when the division or household is
// outside the caller's scope.
func (db *DB) FindPersons(ctx context.Context, f healthcell.PersonFilter) ([]*healthcell.Person, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.HouseholdID != 0 {
		h, err := findHousehold(ctx, db.r, f.HouseholdID)
		if err != nil || !a.CanReadPersons(h.VillageCode) {
			return nil, 0, notFound("household")
		}
		f.Division = h.VillageCode // for the ID-number check below
		where = append(where, "household_id = "+arg(f.HouseholdID))
	} else {
		lo, hi, err := scopeRange(a, f.Division, a.CanReadPersons)
		if err != nil {
			return nil, 0, err
		}
		f.Division = lo
		where = append(where, "village_code BETWEEN "+arg(lo)+" AND "+arg(hi))
	}
	if !f.Inactive {
		where = append(where, "status = 'active'")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if n := idcard.Normalize(q); isIDPrefix(n) {
			if !a.SeesPersonal(f.Division) {
				return nil, 0, nil // masked callers cannot search by ID number
			}
			n := arg(n + "%")
			where = append(where, "(id_number LIKE "+n+" OR id_claim LIKE "+n+")")
		} else {
			where = append(where, "LOWER(name) LIKE LOWER("+arg("%"+escapeLike(q)+"%")+") ESCAPE '\\'") // case-insensitive on both engines
		}
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM persons`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count persons: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset)
	order := " ORDER BY village_code, household_id, id"
	if f.HouseholdID != 0 {
		order = " ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, birth_date, id"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+personColumns+` FROM persons`+w+order+limitClause(arg(limit), arg(offset)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find persons: %w", err)
	}
	var out []*healthcell.Person
	if err := eachRow(rows, func(rows *sql.Rows) error {
		p, err := scanPerson(rows)
		if err != nil {
			return err
		}
		out = append(out, present(a, p))
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// isIDPrefix reports whether q looks like the start of an ID number: at
// least 4 characters, digits with an optional final X.
func isIDPrefix(q string) bool {
	if len(q) < 4 {
		return false
	}
	for i := 0; i < len(q); i++ {
		if (q[i] < '0' || q[i] > '9') && !(q[i] == 'X' && i == len(q)-1) {
			return false
		}
	}
	return true
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CreatePerson validates p and stores it in its household, in one audited
// transaction. It returns EINVALID for bad fields, a household outside the
// caller's scope, or an ID number that a person the caller may read already
// has; a number that only records the caller cannot see hold is stored as a
// claim (person_idclaim.go), with the same answer as a free one. ETHROTTLED
// when the caller's lookup budget is spent.
func (db *DB) CreatePerson(ctx context.Context, p *healthcell.Person) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := mayWrite(a); err != nil {
		return err
	}
	if err := p.Validate(db.Now(), checkID); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		h, err := findHousehold(ctx, tx, p.HouseholdID)
		if err != nil || !a.CanWritePersons(h.VillageCode) {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "household_id", Message: "household.not_found"}})
		}
		number, claim, err := tx.placeIDNumber(ctx, a, p.IDNumber, 0, true)
		if err != nil {
			return err
		}
		p.VillageCode, p.Version, p.CreatedAt, p.UpdatedAt = h.VillageCode, 1, tx.now, tx.now
		// The household before the village's counter (which the insert's
		// triggers take), the order every write of persons keeps.
		if err := tx.lockHouseholds(ctx, p.HouseholdID); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO persons (household_id, village_code, name, id_number, id_claim, sex, birth_date, relation, phone,
			registered, resident, status, status_date, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id`,
			p.HouseholdID, p.VillageCode, p.Name, number, claim, p.Sex, p.BirthDate, p.Relation, p.Phone,
			p.Registered, p.Resident, p.Status, p.StatusDate, tx.now).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert person: %w", err)
		}
		if err := tx.setHead(ctx, p); err != nil {
			return err
		}
		if err := tx.refreshHouseholds(ctx, p.HouseholdID); err != nil {
			return err
		}
		if err := tx.refreshVillages(ctx, p.VillageCode); err != nil {
			return err
		}
		return tx.audit(ctx, "create", "person", p.ID, p.VillageCode, nil, p)
	})
}

// UpdatePerson saves p when p.Version is the stored version (ECONFLICT
// otherwise). A changed HouseholdID moves the person, which the caller must
// be allowed to write on both sides. Masked callers cannot update.
func (db *DB) UpdatePerson(ctx context.Context, p *healthcell.Person) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := mayWrite(a); err != nil {
		return err
	}
	if err := p.Validate(db.Now(), checkID); err != nil {
		return err
	}
	given := *p // a PostgreSQL write may run again (DB.write): each run starts from it
	return db.write(ctx, func(tx *Tx) error {
		*p = given
		old, err := findPerson(ctx, tx, p.ID)
		if err != nil || !a.CanReadPersons(old.VillageCode) {
			return notFound("person")
		}
		if !a.CanWritePersons(old.VillageCode) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		h, err := findHousehold(ctx, tx, p.HouseholdID)
		if err != nil || !a.CanWritePersons(h.VillageCode) {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "household_id", Message: "household.not_found"}})
		}
		number, claim, err := tx.placeIDNumber(ctx, a, p.IDNumber, p.ID, p.IDNumber != old.IDNumber)
		if err != nil {
			return err
		}
		// Both households' summaries change; lock them before any head update.
		if err := tx.lockHouseholds(ctx, old.HouseholdID, p.HouseholdID); err != nil {
			return err
		}
		day, err := updateDay(tx.now, old, p)
		if err != nil {
			return err
		}
		if err := tx.endPersonSpan(ctx, p, h.VillageCode, day); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE persons SET household_id = $1, village_code = $2, name = $3, id_number = $4, id_claim = $5, sex = $6,
			birth_date = $7, relation = $8, phone = $9, registered = $10, resident = $11, status = $12, status_date = $13,
			version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16`,
			p.HouseholdID, h.VillageCode, p.Name, number, claim, p.Sex, p.BirthDate, p.Relation, p.Phone,
			p.Registered, p.Resident, p.Status, p.StatusDate, tx.now, p.ID, p.Version)
		if err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		np, err := findPerson(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		*p = *np
		if old.HouseholdID != p.HouseholdID {
			if _, err := tx.ExecContext(ctx, `UPDATE households SET head_id = NULL WHERE id = $1 AND head_id = $2`, old.HouseholdID, p.ID); err != nil {
				return err
			}
		}
		if err := tx.setHead(ctx, p); err != nil {
			return err
		}
		if err := tx.refreshHouseholds(ctx, old.HouseholdID, p.HouseholdID); err != nil {
			return err
		}
		if err := tx.refreshVillages(ctx, old.VillageCode, p.VillageCode); err != nil {
			return err
		}
		action := "update"
		if old.HouseholdID != p.HouseholdID {
			action = "move"
		}
		return tx.audit(ctx, action, "person", p.ID, p.VillageCode, old, p)
	})
}

// SetPersonStatus records a death or a move away (or a return to active) with
// its date, when version is current; the record is kept. It returns
// EINVALID for an unknown status or a bad date, ECONFLICT for a stale version.
func (db *DB) SetPersonStatus(ctx context.Context, id int64, version int, status, date string) (*healthcell.Person, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var out *healthcell.Person
	err = db.write(ctx, func(tx *Tx) error {
		old, err := findPerson(ctx, tx, id)
		if err != nil || !a.CanReadPersons(old.VillageCode) {
			return notFound("person")
		}
		if !a.CanWritePersons(old.VillageCode) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		p := *old
		p.Status, p.StatusDate = status, date
		if status == healthcell.StatusActive {
			p.StatusDate = ""
		} else if date == "" {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "status_date", Message: "field.required"}})
		}
		if err := p.Validate(tx.now, checkID); err != nil {
			return err
		}
		if _, err := time.Parse("2006-01-02", p.StatusDate); p.StatusDate != "" &&
			(err != nil || p.StatusDate < p.BirthDate || p.StatusDate > healthcell.CampaignDay(tx.now)) {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "status_date", Message: "person.status_date.invalid", Value: p.StatusDate}})
		}
		// The household's summary changes: lock it before the person, as UpdatePerson does.
		if err := tx.lockHouseholds(ctx, old.HouseholdID); err != nil {
			return err
		}
		if err := tx.endPersonSpan(ctx, &p, p.VillageCode, changeDay(tx.now, old.Status, &p, "")); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE persons SET status = $1, status_date = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND version = $5`, p.Status, p.StatusDate, tx.now, id, version)
		if err != nil {
			return fmt.Errorf("set status: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "error.conflict")
		}
		if out, err = findPerson(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.refreshHouseholds(ctx, out.HouseholdID); err != nil {
			return err
		}
		if err := tx.refreshVillages(ctx, out.VillageCode); err != nil {
			return err
		}
		return tx.audit(ctx, "status", "person", id, out.VillageCode, old, out)
	})
	return out, err
}

// setHead makes p the head of its household when its relation is 户主.
func (tx *Tx) setHead(ctx context.Context, p *healthcell.Person) error {
	if p.Relation != "户主" {
		_, err := tx.ExecContext(ctx, `UPDATE households SET head_id = NULL WHERE id = $1 AND head_id = $2`, p.HouseholdID, p.ID)
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE households SET head_id = $1 WHERE id = $2`, p.ID, p.HouseholdID)
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
