package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

// Messages of missing-row lists.
const MsgNoMissingList = "indicator.no_missing_list"

// IndicatorMissing lists a page of the residents or households of
// q.Division (ordered by village and id) that the indicator's denominator
// counts and its numerator does not, in q.Period, read as the indicator's
// values read them (as of the period's end once it has ended). Persons are
// masked unless the caller owns their village. ENOTFOUND for an unknown
// indicator or a division outside the caller's scope; EINVALID naming
// "code" when the indicator's rows are not persons or households, naming
// "period" for a bad period.
func (db *DB) IndicatorMissing(ctx context.Context, q healthcell.MissingQuery) (*healthcell.MissingRows, error) {
	if r := db.onReplica(ctx); r != db {
		return r.IndicatorMissing(ctx, q)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	p, err := indicator.ParsePeriod(q.Period)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "period", Message: "indicator.bad_period", Value: q.Period}})
	}
	p.AsOf = p.EndedBefore(healthcell.CampaignDay(db.Now()))
	lo, hi, err := scopeRange(a, q.Division, a.CanReadPersons)
	if err != nil {
		return nil, err
	}
	all, err := db.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	var ind *healthcell.Indicator
	for _, x := range all {
		if x.Code == q.Code {
			ind = x
		}
	}
	if ind == nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "indicator.unknown")
	}
	srcs := db.sources
	if !indicator.Missing(ind, srcs) {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "code", Message: MsgNoMissingList, Value: q.Code}})
	}
	cq, err := indicator.CompileMissing(ind, srcs, p, indicator.Scope{Lo: lo, Hi: hi, GroupLen: 12})
	if err != nil {
		return nil, err
	}
	out := &healthcell.MissingRows{Source: ind.Denominator.From}
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+cq.SQL+`) m`, cq.Args...).Scan(&out.Total); err != nil {
		return nil, fmt.Errorf("count missing %s: %w", q.Code, err)
	}
	limit, offset := page(q.Limit, q.Offset)
	args := append(append([]any(nil), cq.Args...), limit, offset)
	n := len(cq.Args)
	rows, err := db.r.QueryContext(ctx, `SELECT m.id FROM (`+cq.SQL+`) m ORDER BY m.village_code, m.id`+
		limitClause("$"+strconv.Itoa(n+1), "$"+strconv.Itoa(n+2)), args...)
	if err != nil {
		return nil, fmt.Errorf("missing %s: %w", q.Code, err)
	}
	var ids []any
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	for i := range ids {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	if out.Source == indicator.Households {
		rs, err := db.r.QueryContext(ctx, `SELECT `+householdColumns+` FROM households h WHERE h.id IN `+in+` ORDER BY h.village_code, h.id`, ids...)
		if err != nil {
			return nil, fmt.Errorf("missing households: %w", err)
		}
		err = eachRow(rs, func(rs *sql.Rows) error {
			h, err := scanHousehold(rs)
			if err != nil {
				return err
			}
			out.Households = append(out.Households, h)
			return nil
		})
		return out, err
	}
	rs, err := db.r.QueryContext(ctx, `SELECT `+personColumns+` FROM persons WHERE id IN `+in+` ORDER BY village_code, id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("missing persons: %w", err)
	}
	err = eachRow(rs, func(rs *sql.Rows) error {
		pr, err := scanPerson(rs)
		if err != nil {
			return err
		}
		out.Persons = append(out.Persons, present(a, pr))
		return nil
	})
	return out, err
}
