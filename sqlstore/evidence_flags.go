package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
)

// daysApart returns how many whole days lie between two 'YYYY-MM-DD' dates,
// and false when either does not parse.
func daysApart(a, b string) (int, bool) {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	d := ta.Sub(tb).Hours() / 24
	if d < 0 {
		d = -d
	}
	return int(d), true
}

// dateFar reports whether a photo taken on taken is further from the
// activity's date than the definitions' tolerance.
func (db *DB) dateFar(taken, activity string) bool {
	d, ok := daysApart(taken, activity)
	return ok && d > db.defs.Evidence.PhotoDateToleranceDays
}

// SheetEvidenceFlags lists what a checker should doubt in a sheet's
// evidence: each file whose bytes are also evidence of a sheet of another
// unit or year, or a photo of an activity of another village or year
// (evidence.reused, with the other uses); and the photos of the activities
// its count items count that were taken far from the activity's date
// (evidence.date_far, EvidenceID the entry file's id). ENOTFOUND when the
// caller may not read the sheet.
func (db *DB) SheetEvidenceFlags(ctx context.Context, sheetID int64) ([]healthcell.EvidenceFlag, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	s, err := findSheet(ctx, db.r, sheetID)
	if err != nil {
		return nil, err
	}
	if !a.CanReadSheet(s.Division, s.UnitKind, s.UnitRef) {
		return nil, notFound("sheet")
	}
	var out []healthcell.EvidenceFlag
	byID := map[int64]int{}
	type pair struct {
		id  int64
		use string
	}
	seen := map[pair]bool{}
	add := func(id int64, item string, u healthcell.EvidenceUse) {
		// One use per unit and year: a unit's several sheets (self, check,
		// editions) are one place the file was used.
		if k := (pair{id, u.Kind + u.Division + u.Name + strconv.Itoa(u.Year)}); seen[k] {
			return
		} else {
			seen[k] = true
		}
		i, ok := byID[id]
		if !ok {
			i = len(out)
			byID[id] = i
			out = append(out, healthcell.EvidenceFlag{EvidenceID: id, ItemCode: item, Reason: healthcell.FlagReused})
		}
		if len(out[i].Uses) < 10 {
			out[i].Uses = append(out[i].Uses, u)
		}
	}
	year := strconv.Itoa(s.Year)
	rows, err := db.r.QueryContext(ctx, `SELECT e.id, e.item_code, o.id, o.division, o.unit_name, o.year FROM evidence e
		JOIN evidence x ON x.sha256 = e.sha256 AND x.sheet_id <> e.sheet_id
		JOIN score_sheets o ON o.id = x.sheet_id
		WHERE e.sheet_id = $1 AND (o.unit_ref <> $2 OR o.unit_kind <> $3 OR o.year <> $4)
		ORDER BY e.id, o.id`, sheetID, s.UnitRef, s.UnitKind, s.Year)
	if err != nil {
		return nil, fmt.Errorf("reused evidence: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var item string
		u := healthcell.EvidenceUse{Kind: "sheet"}
		if err := rows.Scan(&id, &item, &u.ID, &u.Division, &u.Name, &u.Year); err != nil {
			return err
		}
		add(id, item, u)
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT e.id, e.item_code, r.id, r.village_code, r.topic, r.activity_date FROM evidence e
		JOIN entry_files f ON f.sha256 = e.sha256 AND f.register = 'activities'
		JOIN reg_activities r ON r.id = f.entry_id
		WHERE e.sheet_id = $1 AND (r.village_code <> $2 OR substr(r.activity_date, 1, 4) <> $3)
		ORDER BY e.id, r.id`, sheetID, s.Division, year)
	if err != nil {
		return nil, fmt.Errorf("reused evidence: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var item, date string
		u := healthcell.EvidenceUse{Kind: "activity"}
		if err := rows.Scan(&id, &item, &u.ID, &u.Division, &u.Name, &date); err != nil {
			return err
		}
		u.Year, _ = strconv.Atoi(date[:min(4, len(date))])
		add(id, item, u)
		return nil
	}); err != nil {
		return nil, err
	}
	return db.countedPhotoFlags(ctx, s, out)
}

// countedPhotoFlags appends to out the date_far flags of the photos of the
// activities a sheet's count items count.
func (db *DB) countedPhotoFlags(ctx context.Context, s *healthcell.ScoreSheet, out []healthcell.EvidenceFlag) ([]healthcell.EvidenceFlag, error) {
	std, err := db.standardVersion(ctx, s.StandardID)
	if err != nil {
		return nil, err
	}
	items := map[string]string{} // activity kind → item code
	for _, it := range std.Items {
		if it.Method == healthcell.MethodCount && it.Activity != "" {
			if _, ok := items[it.Activity]; !ok {
				items[it.Activity] = it.Code
			}
		}
	}
	if len(items) == 0 || s.UnitKind == "household" {
		return out, nil
	}
	where, args := activityWhere(s)
	n := len(args)
	args = append(args, fmt.Sprintf("%04d-01-01", s.Year), fmt.Sprintf("%04d-12-31", s.Year))
	rows, err := db.r.QueryContext(ctx, fmt.Sprintf(`SELECT f.id, r.id, r.kind, r.topic, r.village_code, r.activity_date, b.taken_on
		FROM reg_activities r JOIN entry_files f ON f.register = 'activities' AND f.entry_id = r.id JOIN evidence_blobs b ON b.sha256 = f.sha256
		WHERE %s AND r.active AND r.activity_date BETWEEN $%d AND $%d AND b.taken_on <> '' ORDER BY r.activity_date, f.id`,
		"r."+where, n+1, n+2), args...)
	if err != nil {
		return nil, fmt.Errorf("activity photos: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var fid int64
		var kind, date, taken string
		u := healthcell.EvidenceUse{Kind: "activity"}
		if err := rows.Scan(&fid, &u.ID, &kind, &u.Name, &u.Division, &date, &taken); err != nil {
			return err
		}
		item, ok := items[kind]
		if !ok {
			return nil
		}
		far := db.dateFar(taken, date)
		if far {
			u.Year = s.Year
			out = append(out, healthcell.EvidenceFlag{EvidenceID: fid, ItemCode: item, Reason: healthcell.FlagDateFar, TakenOn: taken, Uses: []healthcell.EvidenceUse{u}})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// activityFileFlags flags the files of activity entryID: a photo taken far
// from the activity's date, and bytes also used for another activity or as
// evidence of a sheet of another village or year.
func (db *DB) activityFileFlags(ctx context.Context, entryID int64, files []*healthcell.EntryFile) error {
	var village, date string
	if err := db.r.QueryRowContext(ctx, `SELECT village_code, activity_date FROM reg_activities WHERE id = $1`, entryID).Scan(&village, &date); err != nil {
		return fmt.Errorf("activity of files: %w", err)
	}
	for _, f := range files {
		if f.TakenOn != "" {
			far := db.dateFar(f.TakenOn, date)
			if far {
				f.Flags = append(f.Flags, healthcell.EvidenceFlag{EvidenceID: f.ID, Reason: healthcell.FlagDateFar, TakenOn: f.TakenOn})
			}
		}
		var uses []healthcell.EvidenceUse
		rows, err := db.r.QueryContext(ctx, `SELECT r.id, r.village_code, r.topic, r.activity_date FROM entry_files x JOIN reg_activities r ON r.id = x.entry_id
			WHERE x.sha256 = $1 AND x.register = 'activities' AND x.entry_id <> $2 ORDER BY r.id LIMIT 10`, f.SHA256, entryID)
		if err != nil {
			return fmt.Errorf("reused activity photo: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var d string
			u := healthcell.EvidenceUse{Kind: "activity"}
			if err := rows.Scan(&u.ID, &u.Division, &u.Name, &d); err != nil {
				return err
			}
			u.Year, _ = strconv.Atoi(d[:min(4, len(d))])
			uses = append(uses, u)
			return nil
		}); err != nil {
			return err
		}
		if len(uses) > 0 {
			f.Flags = append(f.Flags, healthcell.EvidenceFlag{EvidenceID: f.ID, Reason: healthcell.FlagReused, Uses: uses})
		}
	}
	return nil
}
