package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// entryImportBatch is how many rows one multi-row INSERT carries, and how
// many ID numbers one lookup asks for.
const entryImportBatch = 200

// errEntryDryRun rolls back a dry run that found no error.
var errEntryDryRun = fmt.Errorf("dry run")

// ImportEntries stores a register file all or nothing: every row's subject
// is resolved in one transaction (villages in the caller's write scope,
// active residents by ID number, households by number, units by name), its
// values parsed by the register's definition, and unique columns checked
// within the file and against the stored entries. It returns the number of
// rows stored (or that a dry run would store), the warnings (a name that is
// not the resident's), and EINVALID with every error by row when any row is
// wrong, in which case nothing is stored. A resident outside the caller's
// write scope is reported as unknown, like a number nobody has, and such
// misses count against the account's lookup budget (lookup_limit.go):
// ETHROTTLED once it is spent, dry runs included. EFORBIDDEN for a role that
// writes no registers; ENOTFOUND for an unknown register.
func (db *DB) ImportEntries(ctx context.Context, code string, rows []healthcell.EntryRow, dryRun bool) (int, []healthcell.FieldError, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return 0, nil, err
	}
	d, err := db.registerDef(code)
	if err != nil {
		return 0, nil, err
	}
	if !a.System && !mayWriteEntries(a, d, a.Scope) {
		return 0, nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	var warnings []healthcell.FieldError
	err = db.write(ctx, func(tx *Tx) error {
		im := &entryImport{tx: tx, ctx: ctx, d: d, a: a}
		if err := im.loadVillages(); err != nil {
			return err
		}
		if err := im.resolve(rows); err != nil {
			return err
		}
		if err := db.lookups.charge(a, im.misses, db.Now()); err != nil {
			return err
		}
		warnings = im.warnings
		if len(im.errs) > 0 {
			return healthcell.Invalid(im.errs)
		}
		if err := im.checkUnique(rows); err != nil {
			return err
		}
		if len(im.errs) > 0 {
			return healthcell.Invalid(im.errs)
		}
		if dryRun {
			return errEntryDryRun
		}
		insert := im.insert
		if db.Engine == SQLite {
			// SQLite fires the data-version triggers once per row: drop them
			// for the import and bump the version once.
			insert = func() error { return tx.withoutVersionTriggers(ctx, []string{d.Table}, im.insert) }
		}
		if err := insert(); err != nil {
			return err
		}
		return tx.audit(ctx, "load", "register."+d.Code, "", "", nil, map[string]any{"rows": len(im.ready), "villages": len(im.touched)})
	})
	if err == errEntryDryRun {
		err = nil
	}
	if err != nil {
		return 0, warnings, err
	}
	return len(rows), warnings, nil
}

// entryImport is one register import inside its transaction.
type entryImport struct {
	tx  *Tx
	ctx context.Context
	d   *register.Def
	a   *healthcell.Actor

	villageByCode map[string]bool
	villageByName map[string][]string // name (and the name without 村民委员会 / 居民委员会) → codes
	ready         []readyEntry
	touched       map[string]bool
	errs          []healthcell.FieldError
	warnings      []healthcell.FieldError
	misses        []string // ID numbers of rows that are no resident the caller may write for
}

// readyEntry is a resolved row waiting to be inserted.
type readyEntry struct {
	row                     int
	village                 string
	person, household, unit int64
	idNumber, name          string
	values                  register.Values
}

func (im *entryImport) fail(row int, field, msg, value string) {
	im.errs = append(im.errs, healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value})
}

// loadVillages reads the villages the caller may write entries in.
func (im *entryImport) loadVillages() error {
	lo, hi := "000000000000", "999999999999"
	if !im.a.System {
		lo, hi = healthcell.CodeRange(im.a.Scope)
	}
	rows, err := im.tx.QueryContext(im.ctx, `SELECT code, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3`, healthcell.LevelVillage, lo, hi)
	if err != nil {
		return err
	}
	im.villageByCode, im.villageByName, im.touched = map[string]bool{}, map[string][]string{}, map[string]bool{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return err
		}
		if !im.a.System && !mayWriteEntries(im.a, im.d, code) {
			return nil
		}
		im.villageByCode[code] = true
		im.villageByName[name] = append(im.villageByName[name], code)
		if short := healthcell.ShortVillageName(name); short != name {
			im.villageByName[short] = append(im.villageByName[short], code)
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// village resolves a row's village text; "" with an error recorded when it
// is unknown, out of scope or ambiguous.
func (im *entryImport) village(r *healthcell.EntryRow, required bool) string {
	s := strings.TrimSpace(r.Village)
	if s == "" {
		if required {
			im.fail(r.Row, healthcell.EntryColVillage, "import.entry.village_required", "")
		}
		return ""
	}
	if c := healthcell.NormalizeCode(s); c != "" && len(s) == 12 {
		if !im.villageByCode[c] {
			im.fail(r.Row, healthcell.EntryColVillage, "import.entry.village_unknown", s)
			return ""
		}
		return c
	}
	codes := im.villageByName[s]
	switch len(codes) {
	case 0:
		im.fail(r.Row, healthcell.EntryColVillage, "import.entry.village_unknown", s)
		return ""
	case 1:
		return codes[0]
	}
	im.fail(r.Row, healthcell.EntryColVillage, "import.entry.village_ambiguous", s)
	return ""
}

// resolve turns every row into a readyEntry or errors.
func (im *entryImport) resolve(rows []healthcell.EntryRow) error {
	people, err := im.people(rows)
	if err != nil {
		return err
	}
	units := map[string]int64{}
	if im.d.Units {
		if units, err = im.units(); err != nil {
			return err
		}
	}
	now := im.tx.db.Now()
	for i := range rows {
		r := &rows[i]
		e := readyEntry{row: r.Row}
		switch im.d.Subject {
		case register.Person:
			p, ok := people[r.IDNumber]
			switch {
			case r.IDNumber == "":
				im.fail(r.Row, healthcell.EntryColIDNumber, "import.entry.id_required", "")
			case !ok || !im.villageByCode[p.village]:
				// A resident the importer may not write for looks exactly
				// like a number nobody has.
				im.fail(r.Row, healthcell.EntryColIDNumber, "import.entry.unknown_person", r.IDNumber)
				im.misses = append(im.misses, r.IDNumber)
			default:
				e.person, e.village, e.idNumber, e.name = p.id, p.village, r.IDNumber, p.name
				if r.Name != "" && r.Name != p.name {
					im.warnings = append(im.warnings, healthcell.FieldError{Row: r.Row, Field: healthcell.EntryColName, Message: "import.entry.name_differs", Value: r.Name})
				}
				if v := strings.TrimSpace(r.Village); v != "" && v != p.village && !slices.Contains(im.villageByName[v], p.village) {
					im.warnings = append(im.warnings, healthcell.FieldError{Row: r.Row, Field: healthcell.EntryColVillage, Message: "import.entry.village_differs", Value: v})
				}
			}
		case register.Household:
			e.village = im.village(r, true)
			if e.village != "" {
				hid, err := im.household(e.village, r.Household)
				if err != nil {
					return err
				}
				if hid == 0 {
					im.fail(r.Row, healthcell.EntryColHousehold, "import.entry.unknown_household", r.Household)
				}
				e.household = hid
			}
		case register.Village, register.Unit:
			e.village = im.village(r, true)
			if u := strings.TrimSpace(r.Unit); u != "" {
				if id, ok := units[u]; ok {
					e.unit = id
				} else {
					im.fail(r.Row, healthcell.EntryColUnit, "register.unit_not_found", u)
				}
			} else if im.d.Subject == register.Unit {
				im.fail(r.Row, healthcell.EntryColUnit, "register.unit_required", "")
			}
		}
		vals, ferrs := im.d.ParseValues(r.Fields, now)
		if len(ferrs) == 0 && e.village != "" {
			pe, err := populationChecks(im.ctx, im.tx, im.d, e.village, vals)
			if err != nil {
				return err
			}
			ferrs = pe
		}
		for _, fe := range ferrs {
			fe.Row = r.Row
			im.errs = append(im.errs, fe)
		}
		e.values = vals
		im.ready = append(im.ready, e)
	}
	return nil
}

// personRef is what an import needs of a resident.
type personRef struct {
	id            int64
	village, name string
}

// people looks up the active residents of the rows' ID numbers, a batch at
// a time.
func (im *entryImport) people(rows []healthcell.EntryRow) (map[string]personRef, error) {
	out := map[string]personRef{}
	if im.d.Subject != register.Person {
		return out, nil
	}
	var ids []any
	seen := map[string]bool{}
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		ph := make([]string, len(ids))
		for i := range ids {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		// A number claimed in the caller's villages (person_idclaim.go) is
		// that resident's there, whoever holds it elsewhere.
		in := strings.Join(ph, ", ")
		rs, err := im.tx.QueryContext(im.ctx, `SELECT id, COALESCE(id_number, id_claim), village_code, name FROM persons
			WHERE status = 'active' AND (id_number IN (`+in+`) OR id_claim IN (`+in+`))`, ids...)
		if err != nil {
			return err
		}
		if err := eachRow(rs, func(rs *sql.Rows) error {
			var p personRef
			var idn string
			if err := rs.Scan(&p.id, &idn, &p.village, &p.name); err != nil {
				return err
			}
			if q, ok := out[idn]; !ok || !im.villageByCode[q.village] && im.villageByCode[p.village] {
				out[idn] = p
			}
			return nil
		}); err != nil {
			return err
		}
		ids = ids[:0]
		return nil
	}
	for _, r := range rows {
		if r.IDNumber == "" || seen[r.IDNumber] {
			continue
		}
		seen[r.IDNumber] = true
		ids = append(ids, r.IDNumber)
		if len(ids) == entryImportBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return out, flush()
}

// household returns the id of the active household number in village, 0
// when there is none.
func (im *entryImport) household(village, number string) (int64, error) {
	var id int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM households WHERE village_code = $1 AND number = $2 AND active`, village, strings.TrimSpace(number)).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return id, nil
}

// units maps the names of the units in the caller's scope to their ids.
func (im *entryImport) units() (map[string]int64, error) {
	lo, hi := "000000000000", "999999999999"
	if !im.a.System {
		lo, hi = healthcell.CodeRange(im.a.Scope)
	}
	rows, err := im.tx.QueryContext(im.ctx, `SELECT id, name FROM units WHERE division BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		out[name] = id
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// checkUnique reports rows whose unique columns repeat an earlier row of the
// file or an active stored entry.
func (im *entryImport) checkUnique(rows []healthcell.EntryRow) error {
	if len(im.d.Unique) == 0 {
		return nil
	}
	first := map[string]int{}
	field := strings.TrimSuffix(im.d.Unique[len(im.d.Unique)-1], "_id")
	for _, e := range im.ready {
		in := healthcell.EntryInput{PersonID: e.person, HouseholdID: e.household}
		key := fmt.Sprint(e.person, e.household, im.uniqueValues(e))
		if r, dup := first[key]; dup {
			im.fail(e.row, field, "import.entry.duplicate_row", fmt.Sprint(r))
			continue
		}
		first[key] = e.row
		if fe := im.tx.duplicate(im.ctx, im.d, in, e.values, 0); fe != nil {
			im.fail(e.row, field, "register.duplicate", "")
		}
	}
	return nil
}

func (im *entryImport) uniqueValues(e readyEntry) []any {
	var out []any
	for _, c := range im.d.Unique {
		if c != "person_id" && c != "household_id" {
			out = append(out, e.values[c])
		}
	}
	return out
}

// insert writes the ready rows with multi-row INSERTs.
func (im *entryImport) insert() error {
	cols := []string{"village_code", "person_id", "household_id", "unit_id", "id_number", "subject_name", "created_by", "created_at", "updated_at"}
	for _, f := range im.d.Fields {
		cols = append(cols, f.Code)
	}
	for start := 0; start < len(im.ready); start += entryImportBatch {
		batch := im.ready[start:min(start+entryImportBatch, len(im.ready))]
		var ph []string
		var args []any
		for _, e := range batch {
			vals := append([]any{e.village, nullID(e.person), nullID(e.household), nullID(e.unit), e.idNumber, e.name,
				im.tx.actor.Username, im.tx.now, im.tx.now}, fieldArgs(im.d, e.values)...)
			p := make([]string, len(vals))
			for i := range vals {
				// modernc's SQLite binds $n in time quadratic in their
				// number; plain ? is linear.
				p[i] = "?"
				if im.tx.db.Engine == Postgres {
					p[i] = fmt.Sprintf("$%d", len(args)+i+1)
				}
			}
			ph = append(ph, "("+strings.Join(p, ", ")+")")
			args = append(args, vals...)
			im.touched[e.village] = true
		}
		if _, err := im.tx.ExecContext(im.ctx, "INSERT INTO "+im.d.Table+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(ph, ", "), args...); err != nil {
			return fmt.Errorf("import %s: %w", im.d.Code, err)
		}
	}
	return nil
}
