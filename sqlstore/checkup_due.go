package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// checkupDueSQL lists the resident population under a division with each
// person's latest check-up up to the period's end and whether the yearly
// rule applies (65 and over, 6 and under at the period's end, or a chronic
// patient diagnosed by then). The same rules as checkup_rate.
const checkupDueSQL = `SELECT p.id, p.name, p.sex, p.birth_date, p.village_code, p.household_id,
	(SELECT MAX(c.exam_date) FROM reg_checkups c WHERE c.person_id = p.id AND c.active AND c.exam_date <= $3),
	CASE WHEN p.birth_date <= $4 OR p.birth_date > $5 OR EXISTS (SELECT 1 FROM reg_chronic h
		WHERE h.person_id = p.id AND h.active AND h.diagnosed_date <= $3) THEN 1 ELSE 0 END
	FROM persons p
	WHERE p.village_code BETWEEN $1 AND $2 AND p.status = 'active' AND p.resident
	ORDER BY p.village_code, p.household_id, p.id`

// CheckupsDue lists the residents under division whose check-up falls due
// by the end of period and has not been done: the yearly group's latest
// check-up is a year or more before the period's end (or missing), everyone
// else's two years or more. Overdue ones were due before the period began.
// It returns ENOTFOUND for a division outside the caller's scope or a role
// that does not see personal data there, EINVALID for a bad period.
func (db *DB) CheckupsDue(ctx context.Context, division, period string) ([]healthcell.DueResident, error) {
	if r := db.onReplica(ctx); r != db {
		return r.CheckupsDue(ctx, division, period)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := indicator.ParsePeriod(period)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "period", Message: "indicator.bad_period", Value: period}})
	}
	lo, hi, err := scopeRange(a, division, a.SeesPersonal)
	if err != nil {
		return nil, err
	}
	const day = "2006-01-02"
	end := p.End
	rows, err := db.r.QueryContext(ctx, checkupDueSQL, lo, hi, end.Format(day),
		end.AddDate(-65, 0, 0).Format(day), end.AddDate(-7, 0, 0).Format(day))
	if err != nil {
		return nil, fmt.Errorf("check-ups due: %w", err)
	}
	out := []healthcell.DueResident{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var r healthcell.DueResident
		var last sql.NullString
		var yearly int
		if err := rows.Scan(&r.PersonID, &r.Name, &r.Sex, &r.BirthDate, &r.VillageCode, &r.HouseholdID, &last, &yearly); err != nil {
			return err
		}
		years := 2
		r.Rule = "biennial"
		if yearly == 1 {
			years, r.Rule = 1, "yearly"
		}
		r.LastExam = last.String
		if r.LastExam != "" {
			t, err := time.Parse(day, r.LastExam)
			if err != nil {
				return nil
			}
			next := t.AddDate(years, 0, 0)
			if next.After(end) {
				return nil // done within its window
			}
			r.DueSince = next.Format(day)
			r.Overdue = next.Before(p.Start)
		} else {
			r.Overdue = true
		}
		if b, err := time.Parse(day, r.BirthDate); err == nil {
			r.Age = ageAt(b, end)
		}
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// ageAt returns the age in whole years at t of someone born on b.
func ageAt(b, t time.Time) int {
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || t.Month() == b.Month() && t.Day() < b.Day() {
		age--
	}
	return age
}
