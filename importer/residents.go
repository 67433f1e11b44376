package importer

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/tablefile"
)

// Options of an import.
type Options struct {
	Update   bool      // update residents whose ID number is already stored
	DryRun   bool      // check everything, store nothing
	Now      time.Time // the date ID numbers and birth dates are checked at; zero means now
	Progress func(rows int)
}

// ProgressEvery is how many rows pass between calls of Options.Progress.
const ProgressEvery = 10000

// Result is the outcome of an import, stored or not.
type Result struct {
	Rows    int      `json:"rows"`    // data rows read (blank rows aside)
	Unknown []string `json:"unknown"` // headers of columns that were ignored
	Issues  Issues   `json:"-"`
	Counts  healthcell.ImportCounts
	DryRun  bool `json:"dry_run"`
}

// errHasErrors rolls the store's transaction back when a row is wrong.
var errHasErrors = errors.New("importer: the file has errors")

// ImportResidents reads the residents and households of r (columns as t
// declares them: catalog/imports/residents.yaml), checks every row and, when
// no row has an error, stores them all through store in one transaction.
// It returns the result and, when any row (or the header) has an error,
// EINVALID with key import.has_errors and the first errors; then nothing is
// stored and the result's Issues say what to fix. Other errors are of
// reading the file (EINVALID for a damaged one) or of the store.
func ImportResidents(ctx context.Context, store healthcell.ResidentImportService, t *Table, r tablefile.Reader, opt Options) (*Result, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	res := &Result{DryRun: opt.DryRun}
	feed := func(known healthcell.ResidentLookup, emit func(*healthcell.ImportedResident) error) error {
		src, fe, err := NewSource(r, t)
		if err != nil {
			return err
		}
		res.Unknown = src.Map.Unknown
		for _, f := range fe {
			res.Issues.Error(f)
		}
		if len(fe) > 0 {
			return errHasErrors // rows cannot be read without their columns
		}
		c := newResidentCheck(src.Map, known, opt)
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			cells, row, err := src.Next()
			if err != nil {
				if err == io.EOF {
					break
				}
				return err
			}
			res.Rows = src.Rows
			ir := c.check(cells, row, &res.Issues)
			if ir != nil && res.Issues.Errors == 0 {
				if err := emit(ir); err != nil {
					return err
				}
			}
			if opt.Progress != nil && src.Rows%ProgressEvery == 0 {
				opt.Progress(src.Rows)
			}
		}
		if opt.Progress != nil {
			opt.Progress(src.Rows)
		}
		if res.Issues.Errors > 0 {
			return errHasErrors
		}
		return nil
	}
	counts, err := store.ImportResidents(ctx, opt.DryRun, feed)
	if errors.Is(err, errHasErrors) {
		fe := res.Issues.FieldErrors()
		if len(fe) > 1000 {
			fe = fe[:1000]
		}
		return res, &healthcell.Error{Code: healthcell.EINVALID, Message: "import.has_errors", Fields: fe}
	}
	if err != nil {
		return res, err
	}
	res.Counts = counts
	return res, nil
}

// residentCheck checks resident rows against each other and the database.
type residentCheck struct {
	m                                                  *ColumnMap
	name, sex, id, birth, household, relation, village int
	group, phone, registered, resident                 int
	byCode                                             map[string]bool
	byName                                             map[string][]string
	seen                                               map[uint64]int32 // ID number → first row
	heads                                              map[string]int32 // village + 户编号 → row of its 户主
	known                                              healthcell.ResidentLookup
	opt                                                Options
}

func newResidentCheck(m *ColumnMap, known healthcell.ResidentLookup, opt Options) *residentCheck {
	t := m.Table
	c := &residentCheck{m: m, known: known, opt: opt,
		name: t.Field("name"), sex: t.Field("sex"), id: t.Field("id_number"), birth: t.Field("birth_date"),
		household: t.Field("household"), relation: t.Field("relation"), village: t.Field("village"),
		group: t.Field("group"), phone: t.Field("phone"), registered: t.Field("registered"), resident: t.Field("resident"),
		byCode: map[string]bool{}, byName: map[string][]string{},
		seen: map[uint64]int32{}, heads: map[string]int32{},
	}
	for _, v := range known.Villages() {
		c.byCode[v.Code] = true
		k := HeaderKey(v.Name)
		c.byName[k] = append(c.byName[k], v.Code)
		if short := healthcell.ShortVillageName(k); short != k {
			c.byName[short] = append(c.byName[short], v.Code)
		}
	}
	return c
}

// check normalises and checks one row; it records its problems in is and
// returns the row ready to store, or nil when it has an error.
func (c *residentCheck) check(cells []string, row int, is *Issues) *healthcell.ImportedResident {
	errs := is.Errors
	bad := func(col int, key string) {
		is.Error(healthcell.FieldError{Row: row, Field: c.m.Header(col), Message: key, Value: CleanText(c.m.Cell(cells, col))})
	}
	text := func(col int) string { return CleanText(c.m.Cell(cells, col)) }
	p := healthcell.Person{HouseholdID: 1, Registered: true, Resident: true}
	p.Name = text(c.name)
	p.IDNumber = c.m.Cell(cells, c.id)
	idGiven := idcard.Normalize(p.IDNumber) != ""
	if !idGiven {
		bad(c.id, "idcard.empty")
	}
	enum := func(col int, key string) string {
		s := text(col)
		if s == "" {
			return ""
		}
		v, ok := c.m.Table.Columns[col].Value(s)
		if !ok {
			bad(col, key)
		}
		return v
	}
	sexGiven := text(c.sex) != ""
	p.Sex = enum(c.sex, "person.sex.invalid")
	p.Relation = enum(c.relation, "person.relation.invalid")
	if b := text(c.birth); b != "" {
		if d, ok := ParseDate(b); ok {
			p.BirthDate = d
		} else {
			bad(c.birth, "import.date.invalid")
		}
	}
	flag := func(col int) bool {
		if c.m.Has(col) && text(col) != "" {
			if v := enum(col, "import.bool.invalid"); v != "" {
				return v == "true"
			}
		}
		return true
	}
	p.Registered, p.Resident = flag(c.registered), flag(c.resident)
	p.Phone = CleanPhone(c.m.Cell(cells, c.phone))
	if err := p.Validate(c.opt.Now, idcard.Check); err != nil {
		for _, f := range healthcell.ErrorFields(err) {
			col := -1
			switch f.Field {
			case "name":
				col = c.name
			case "id_number":
				col = c.id
			case "sex":
				if !idGiven && !sexGiven || f.Message == "person.sex.invalid" && sexGiven {
					continue // already said: the ID number is missing, or the sex unknown
				}
				col = c.sex
			case "birth_date":
				if !idGiven {
					continue
				}
				col = c.birth
			case "relation":
				continue // reported above from the value map
			case "phone":
				is.Warn(healthcell.FieldError{Row: row, Field: c.m.Header(c.phone), Message: f.Message, Value: p.Phone})
				p.Phone = "" // a warning: the resident is stored without it
				continue
			}
			if col < 0 {
				continue
			}
			bad(col, f.Message)
		}
	}
	number := text(c.household)
	switch n := utf8.RuneCountInString(number); {
	case n == 0:
		bad(c.household, "field.required")
	case n > 30:
		bad(c.household, "field.too_long")
	}
	group := text(c.group)
	if utf8.RuneCountInString(group) > 30 {
		bad(c.group, "field.too_long")
	}
	village := c.villageCode(text(c.village))
	switch village {
	case "":
		bad(c.village, "import.village.unknown")
	case "?":
		bad(c.village, "import.village.ambiguous")
	}
	if len(p.IDNumber) == 18 && idcard.Valid(p.IDNumber, c.opt.Now) {
		k, _ := strconv.ParseUint(p.IDNumber[:17], 10, 64)
		if _, dup := c.seen[k]; dup {
			bad(c.id, "import.id_number.duplicate")
		} else {
			c.seen[k] = int32(row)
		}
	}
	var existing int64
	var claim bool
	if is.Errors == errs {
		if id, ok := c.known.PersonID(p.IDNumber); ok {
			switch {
			case id < 0:
				// Held by a resident the importer may not see: stored as a
				// claim, as a free number would be (the county office
				// settles it in reconciliation).
				claim = true
			case c.opt.Update:
				existing = id
			default:
				bad(c.id, "import.id_number.exists")
			}
		}
	}
	if p.Relation == "户主" && len(village) == 12 && number != "" {
		hk := village + "\x00" + number
		if _, dup := c.heads[hk]; dup {
			bad(c.relation, "import.household.head_duplicate")
		} else {
			c.heads[hk] = int32(row)
		}
	}
	if is.Errors > errs {
		return nil
	}
	p.HouseholdID, p.VillageCode = 0, village
	return &healthcell.ImportedResident{Row: row, Person: p, Household: number, Group: group, Existing: existing, Claim: claim}
}

// villageCode finds a village by its 12-digit code or its name: "" when
// there is none, "?" when the name is shared by several.
func (c *residentCheck) villageCode(s string) string {
	if s == "" {
		return ""
	}
	if len(s) == 12 && allDigits(s) {
		if c.byCode[s] {
			return s
		}
		return ""
	}
	codes := c.byName[HeaderKey(s)]
	if len(codes) == 0 {
		codes = c.byName[healthcell.ShortVillageName(HeaderKey(s))]
	}
	switch len(codes) {
	case 0:
		return ""
	case 1:
		return codes[0]
	}
	return "?"
}
