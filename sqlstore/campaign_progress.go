package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/healthcell/healthcell"
)

// CampaignProgress counts a campaign's applications per township and cell
// type for a summary period: named within it (named_on in the period), named
// by its last day, and not named today; and lists the units other than
// households named within it. ENOTFOUND for a campaign the caller does not
// see. Everyone who sees the campaign sees every township's counts, as in
// the bulletin; no personal data is read.
func (db *DB) CampaignProgress(ctx context.Context, campaignID int64, p healthcell.SummaryPeriod) (*healthcell.CampaignProgress, error) {
	c, err := db.FindCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	out := &healthcell.CampaignProgress{Campaign: c, Period: p, Townships: []healthcell.TownshipName{},
		Counts: []healthcell.ProgressCount{}, Named: []healthcell.NamedInPeriod{}}
	if err := db.r.QueryRowContext(ctx, `SELECT name FROM divisions WHERE code = $1`, c.Division).Scan(&out.County); err != nil {
		return nil, fmt.Errorf("campaign progress county: %w", err)
	}
	lo, hi := healthcell.CodeRange(c.Division)
	tr, err := db.r.QueryContext(ctx, `SELECT code, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3 ORDER BY code`,
		healthcell.LevelTownship, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("campaign progress townships: %w", err)
	}
	if err := eachRow(tr, func(tr *sql.Rows) error {
		var t healthcell.TownshipName
		if err := tr.Scan(&t.Code, &t.Name); err != nil {
			return err
		}
		out.Townships = append(out.Townships, t)
		return nil
	}); err != nil {
		return nil, err
	}

	first, last := p.First(), p.Last()
	type key struct{ township, cellType string }
	counts := map[key]*healthcell.ProgressCount{}
	rows, err := db.r.QueryContext(ctx, `SELECT substr(a.division, 1, 9), s.cell_type, a.state, a.named_on, COUNT(*)
		FROM applications a JOIN standards s ON s.id = a.standard_id WHERE a.campaign_id = $1
		GROUP BY substr(a.division, 1, 9), s.cell_type, a.state, a.named_on`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("campaign progress counts: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var prefix, cellType, state, namedOn string
		var n int
		if err := rows.Scan(&prefix, &cellType, &state, &namedOn, &n); err != nil {
			return err
		}
		k := key{prefix + "000", cellType}
		pc := counts[k]
		if pc == nil {
			pc = &healthcell.ProgressCount{Township: k.township, CellType: cellType}
			counts[k] = pc
		}
		pc.Applications += n
		if namedOn != "" && namedOn >= first && namedOn <= last {
			pc.NamedInPeriod += n
		}
		if namedOn != "" && namedOn <= last {
			pc.NamedByEnd += n
		}
		if state != "named" && state != "review_due" {
			pc.InProgress += n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, pc := range counts {
		out.Counts = append(out.Counts, *pc)
	}
	sort.Slice(out.Counts, func(i, j int) bool {
		x, y := out.Counts[i], out.Counts[j]
		if x.Township != y.Township {
			return x.Township < y.Township
		}
		return x.CellType < y.CellType
	})

	nr, err := db.r.QueryContext(ctx, `SELECT substr(a.division, 1, 9), s.cell_type, a.unit_name, a.named_on
		FROM applications a JOIN standards s ON s.id = a.standard_id
		WHERE a.campaign_id = $1 AND a.unit_kind <> 'household' AND a.named_on BETWEEN $2 AND $3
		ORDER BY substr(a.division, 1, 9), a.named_on, a.unit_name, a.id`, c.ID, first, last)
	if err != nil {
		return nil, fmt.Errorf("campaign progress named: %w", err)
	}
	if err := eachRow(nr, func(nr *sql.Rows) error {
		var u healthcell.NamedInPeriod
		if err := nr.Scan(&u.Township, &u.CellType, &u.UnitName, &u.NamedOn); err != nil {
			return err
		}
		u.Township += "000"
		out.Named = append(out.Named, u)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
