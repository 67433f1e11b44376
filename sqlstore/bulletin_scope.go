package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
)

// bulletinFor narrows a stored bulletin, in place, to what a may read: the
// overdue items of units a may see (the head's name of a household hidden
// unless a sees personal data in its village), and the overdue plan tasks
// only for those who read the county's published plans. The townships'
// ranking and totals are counts and stay whole. The stored record is not
// touched. It returns the error of reading the items' departments.
func (db *DB) bulletinFor(ctx context.Context, a *healthcell.Actor, b *healthcell.Bulletin) error {
	if a.System || a.Role == healthcell.RoleCountyAdmin && a.CoversDivision(b.Division) {
		return nil
	}
	var depts map[int64]string
	if a.Role == healthcell.RoleDepartment && len(b.Overdue) > 0 {
		var err error
		if depts, err = db.rectDepartments(ctx, b.Overdue); err != nil {
			return err
		}
	}
	kept := []*healthcell.Rectification{}
	for _, r := range b.Overdue {
		if !a.CanReadApplication(r.Division, r.UnitKind, r.UnitRef, depts[r.ID]) {
			continue
		}
		if r.UnitKind == "household" && !a.SeesPersonal(r.Division) {
			name := publicHouseholdName(r.UnitName)
			if r.Owner == r.UnitName || headOf(r.UnitName) != "" && strings.Contains(r.Owner, headOf(r.UnitName)) {
				r.Owner = name
			}
			r.UnitName = name
			r.AnsweredBy, r.AnswerNote, r.CheckNote = "", "", ""
		}
		kept = append(kept, r)
	}
	b.Overdue = kept
	if reads, _ := planReader(a, b.Division); !reads {
		b.OverdueTasks = nil
	}
	return nil
}

// headOf is the head's name in a household's unit name "户 0012（张三）",
// "" when there is none.
func headOf(name string) string {
	i := strings.Index(name, "（")
	if i < 0 {
		return ""
	}
	return strings.TrimSuffix(name[i+len("（"):], "）")
}

// rectDepartments returns the department of each item, by id; items no
// longer stored have none.
func (db *DB) rectDepartments(ctx context.Context, items []*healthcell.Rectification) (map[int64]string, error) {
	ids := make([]string, 0, len(items))
	for _, r := range items {
		ids = append(ids, fmt.Sprint(r.ID))
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, department FROM rectifications WHERE id IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return nil, fmt.Errorf("bulletin departments: %w", err)
	}
	out := map[int64]string{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var dept string
		if err := rows.Scan(&id, &dept); err != nil {
			return err
		}
		out[id] = dept
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
