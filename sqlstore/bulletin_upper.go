package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/healthcell/healthcell"
)

// upperChildLevel is, for a bulletin above the county, the level of its
// rows and its indicator level: a city ranks its counties, a province its
// cities.
var upperChildLevel = map[int]struct {
	level     int
	indicator string
}{
	healthcell.LevelCity:     {healthcell.LevelCounty, healthcell.LevelNameCounty},
	healthcell.LevelProvince: {healthcell.LevelCity, healthcell.LevelNameCity},
}

// bulletinVisible reports whether a may read a bulletin of division: a
// county's as its campaign (campaignVisible); one above the county only
// the system and the offices at or above its division — a county officer
// does not see its neighbour counties' figures in its city's bulletin.
func bulletinVisible(a *healthcell.Actor, division string) bool {
	if healthcell.CodeLevel(division) < healthcell.LevelCounty {
		return a.System || a.CoversDivision(division)
	}
	return campaignVisible(a, division)
}

// IssueUpperBulletin computes the progress of every campaign of year in a
// city (or province) by county (or city) — applications, those past
// self-assessment, named and returned for rectification against the
// campaigns' targets, overdue rectification items, overrides and the
// indicators met — ranks them as a county's bulletin ranks its townships,
// and stores it as the division's next bulletin of that year, in one
// audited transaction. The overdue items themselves stay the counties'
// (only their counts are shown). It returns EFORBIDDEN for anyone but the
// division's office and the system, ENOTFOUND for a division that is not
// a city or province, and EINVALID (bulletin.year.none) when no campaign
// of year lies in it.
func (db *DB) IssueUpperBulletin(ctx context.Context, division string, year int) (*healthcell.Bulletin, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	division = healthcell.NormalizeCode(division)
	if !a.System && (division == "" || a.UpperBulletinDivision() != division) {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	child, ok := upperChildLevel[healthcell.CodeLevel(division)]
	if !ok {
		return nil, notFound("division")
	}
	att, vals, err := db.attainmentAt(ctx, division, child.indicator, year)
	if err != nil {
		return nil, err
	}
	var b *healthcell.Bulletin
	err = db.write(ctx, func(tx *Tx) error {
		var err error
		if b, err = tx.computeUpperBulletin(ctx, division, child.level, year); err != nil {
			return err
		}
		for i := range b.Rows {
			m := att[b.Rows[i].Township]
			b.Rows[i].IndicatorsMet, b.Rows[i].IndicatorsTargeted = m[0], m[1]
		}
		m := att[division]
		b.Total.IndicatorsMet, b.Total.IndicatorsTargeted = m[0], m[1]
		b.Reach = db.bulletinReach(vals, division, strconv.Itoa(year), b.Rows)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM bulletins WHERE campaign_id IS NULL AND division = $1 AND year = $2`,
			division, year).Scan(&b.Number); err != nil {
			return err
		}
		body, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bulletins (campaign_id, division, number, issued_on, issued_by, issued_at, body, year)
			VALUES (NULL, $1, $2, $3, $4, $5, $6, $7) RETURNING id`, division, b.Number, b.IssuedOn, b.IssuedBy, b.IssuedAt, string(body), year).Scan(&b.ID); err != nil {
			return fmt.Errorf("insert bulletin: %w", err)
		}
		return tx.audit(ctx, "issue", "bulletin", b.ID, division, nil, map[string]any{"year": year, "number": b.Number})
	})
	return b, err
}

// computeUpperBulletin computes, inside tx, the bulletin of division for
// the campaigns of year in it, one row per division at level (prefix of
// the codes' first n digits). EINVALID when there is no such campaign.
func (tx *Tx) computeUpperBulletin(ctx context.Context, division string, level, year int) (*healthcell.Bulletin, error) {
	b := &healthcell.Bulletin{Division: division, Year: year,
		IssuedOn: healthcell.CampaignDay(tx.now), IssuedBy: tx.actor.Username, IssuedAt: tx.now,
		Rows: []healthcell.BulletinRow{}, Overdue: []*healthcell.Rectification{}}
	lo, hi := healthcell.CodeRange(division)
	var campaigns int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns WHERE year = $1 AND division BETWEEN $2 AND $3`, year, lo, hi).Scan(&campaigns); err != nil {
		return nil, fmt.Errorf("bulletin campaigns: %w", err)
	}
	if campaigns == 0 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "year", Message: "bulletin.year.none", Value: strconv.Itoa(year)}})
	}
	n := len(healthcell.CodePrefix(division)) + 2 // a row's significant digits: a city's 4, a county's 6
	pad := fmt.Sprintf("%0*d", 12-n, 0)
	prefix := `substr(%s, 1, ` + strconv.Itoa(n) + `)`
	rows := map[string]*healthcell.BulletinRow{}
	row := func(p string) *healthcell.BulletinRow {
		code := p + pad
		r, ok := rows[code]
		if !ok {
			r = &healthcell.BulletinRow{Township: code}
			rows[code] = r
		}
		return r
	}
	// each runs q with args, scans each result row's code prefix and the
	// rest into dest, and calls fn with the prefix.
	each := func(what, q string, args []any, fn func(p string), dest ...any) error {
		rs, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("bulletin %s: %w", what, err)
		}
		return eachRow(rs, func(rs *sql.Rows) error {
			var p string
			if err := rs.Scan(append([]any{&p}, dest...)...); err != nil {
				return err
			}
			fn(p)
			return nil
		})
	}
	var name, state string
	var count int
	args := []any{year, lo, hi}
	inCampaigns := `campaign_id IN (SELECT id FROM campaigns WHERE year = $1 AND division BETWEEN $2 AND $3)`
	if err := each("divisions", `SELECT `+fmt.Sprintf(prefix, "code")+`, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3`,
		[]any{level, lo, hi}, func(p string) { row(p).Name = name }, &name); err != nil {
		return nil, err
	}
	if err := each("targets", `SELECT `+fmt.Sprintf(prefix, "t.township")+`, SUM(t.target) FROM campaign_targets t WHERE t.`+inCampaigns+`
		GROUP BY `+fmt.Sprintf(prefix, "t.township"), args, func(p string) { row(p).Target += count }, &count); err != nil {
		return nil, err
	}
	if err := each("applications", `SELECT `+fmt.Sprintf(prefix, "division")+`, state, COUNT(*) FROM applications WHERE `+inCampaigns+`
		GROUP BY `+fmt.Sprintf(prefix, "division")+`, state`, args, func(p string) {
		r := row(p)
		r.Applications += count
		if state != "self_assessment" {
			r.Applied += count
		}
		switch state {
		case "named", "review_due":
			r.Named += count
		case "rectifying":
			r.Rectifying += count
		}
	}, &state, &count); err != nil {
		return nil, err
	}
	if err := each("overrides", `SELECT `+fmt.Sprintf(prefix, "a.division")+`, COALESCE(SUM(n.overrides), 0) FROM sheet_snapshots n
		JOIN applications a ON a.id = n.application_id
		WHERE a.`+inCampaigns+` AND n.id IN (SELECT MAX(x.id) FROM sheet_snapshots x JOIN score_sheets y ON y.id = x.sheet_id
			JOIN applications z ON z.id = x.application_id WHERE z.`+inCampaigns+` GROUP BY x.application_id, y.kind)
		GROUP BY `+fmt.Sprintf(prefix, "a.division"), args, func(p string) { row(p).Overrides += count }, &count); err != nil {
		return nil, err
	}
	if err := each("overdue", `SELECT `+fmt.Sprintf(prefix, "division")+`, COUNT(*) FROM rectifications WHERE state = 'open' AND deadline < $1
		AND division BETWEEN $2 AND $3 GROUP BY `+fmt.Sprintf(prefix, "division"), []any{b.IssuedOn, lo, hi},
		func(p string) { row(p).Overdue += count }, &count); err != nil {
		return nil, err
	}
	rankBulletin(b, rows)
	return b, nil
}
