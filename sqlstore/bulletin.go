package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
)

// IssueBulletin computes the progress of a campaign by township — its
// applications, how many are past self-assessment, named and returned for
// rectification, against the township's target, and overdue rectification
// items — ranks the townships, and stores the result as the campaign's next
// bulletin, in one audited transaction. It returns EFORBIDDEN for anyone
// but the county office and ENOTFOUND for a campaign out of scope.
func (db *DB) IssueBulletin(ctx context.Context, campaignID int64) (*healthcell.Bulletin, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.System && a.Role != healthcell.RoleCountyAdmin {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	c, err := db.FindCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	return db.issueBulletin(ctx, c, false)
}

func (db *DB) issueBulletin(ctx context.Context, c *healthcell.Campaign, scheduled bool) (*healthcell.Bulletin, error) {
	att, vals, err := db.attainment(ctx, c)
	if err != nil {
		return nil, err
	}
	targets, tasks, err := db.planBulletin(ctx, c)
	if err != nil {
		return nil, err
	}
	if targets != nil {
		cp := *c
		cp.Targets = targets
		c = &cp
	}
	var b *healthcell.Bulletin
	err = db.write(ctx, func(tx *Tx) error {
		var err error
		if b, err = tx.computeBulletin(ctx, c); err != nil {
			return err
		}
		for i := range b.Rows {
			a := att[b.Rows[i].Township]
			b.Rows[i].IndicatorsMet, b.Rows[i].IndicatorsTargeted = a[0], a[1]
		}
		a := att[c.Division]
		b.Total.IndicatorsMet, b.Total.IndicatorsTargeted = a[0], a[1]
		b.Scheduled = scheduled
		b.PlanBased, b.OverdueTasks = targets != nil, tasks
		b.Reach = db.bulletinReach(vals, c.Division, strconv.Itoa(c.Year), b.Rows)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM bulletins WHERE campaign_id = $1`, c.ID).Scan(&b.Number); err != nil {
			return err
		}
		body, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bulletins (campaign_id, division, number, issued_on, issued_by, issued_at, body, year)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.ID, c.Division, b.Number, b.IssuedOn, b.IssuedBy, b.IssuedAt, string(body), c.Year).Scan(&b.ID); err != nil {
			return fmt.Errorf("insert bulletin: %w", err)
		}
		return tx.audit(ctx, "issue", "bulletin", b.ID, c.Division, nil, map[string]any{"campaign_id": c.ID, "number": b.Number})
	})
	return b, err
}

// attainment counts, for the county and each of its townships, the
// indicators with a target and a value in the campaign's year, and how many
// of them meet it: [met, targeted] by division code; and the values
// themselves, by indicator code.
func (db *DB) attainment(ctx context.Context, c *healthcell.Campaign) (map[string][2]int, map[string][]healthcell.IndicatorValue, error) {
	return db.attainmentAt(ctx, c.Division, healthcell.LevelNameTownship, c.Year)
}

// attainmentAt is attainment for division and its children at level (a
// name of IndicatorQuery.Level) in year.
func (db *DB) attainmentAt(ctx context.Context, division, level string, year int) (map[string][2]int, map[string][]healthcell.IndicatorValue, error) {
	vals, err := db.IndicatorValues(ctx, healthcell.IndicatorQuery{Division: division, Level: level,
		Period: strconv.Itoa(year), WithTotal: true})
	if err != nil {
		return nil, nil, fmt.Errorf("bulletin indicators: %w", err)
	}
	out := map[string][2]int{}
	for _, list := range vals {
		for _, v := range list {
			if v.Met == nil {
				continue
			}
			a := out[v.Division]
			a[1]++
			if *v.Met {
				a[0]++
			}
			out[v.Division] = a
		}
	}
	return out, vals, nil
}

// computeBulletin computes a campaign's bulletin inside tx.
func (tx *Tx) computeBulletin(ctx context.Context, c *healthcell.Campaign) (*healthcell.Bulletin, error) {
	b := &healthcell.Bulletin{CampaignID: c.ID, CampaignName: c.Name, Division: c.Division,
		IssuedOn: healthcell.CampaignDay(tx.now), IssuedBy: tx.actor.Username, IssuedAt: tx.now,
		Rows: []healthcell.BulletinRow{}, Overdue: []*healthcell.Rectification{}}
	rows := map[string]*healthcell.BulletinRow{}
	row := func(code string) *healthcell.BulletinRow {
		r, ok := rows[code]
		if !ok {
			r = &healthcell.BulletinRow{Township: code}
			rows[code] = r
		}
		return r
	}
	lo, hi := healthcell.CodeRange(c.Division)
	dr, err := tx.QueryContext(ctx, `SELECT code, name FROM divisions WHERE level = $1 AND code BETWEEN $2 AND $3`, healthcell.LevelTownship, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("bulletin townships: %w", err)
	}
	if err := eachRow(dr, func(dr *sql.Rows) error {
		var code, name string
		if err := dr.Scan(&code, &name); err != nil {
			return err
		}
		row(code).Name = name
		return nil
	}); err != nil {
		return nil, err
	}
	for _, t := range c.Targets {
		row(t.Township).Target = t.Target
	}
	ar, err := tx.QueryContext(ctx, `SELECT substr(division, 1, 9), state, COUNT(*) FROM applications WHERE campaign_id = $1
		GROUP BY substr(division, 1, 9), state`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("bulletin applications: %w", err)
	}
	if err := eachRow(ar, func(ar *sql.Rows) error {
		var prefix, state string
		var n int
		if err := ar.Scan(&prefix, &state, &n); err != nil {
			return err
		}
		r := row(prefix + "000")
		r.Applications += n
		if state != "self_assessment" {
			r.Applied += n
		}
		switch state {
		case "named", "review_due":
			r.Named += n
		case "rectifying":
			r.Rectifying += n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// Overrides of computed values in the latest frozen copy of each
	// application's sheets (one per kind: self, check, evaluation).
	or, err := tx.QueryContext(ctx, `SELECT substr(a.division, 1, 9), COALESCE(SUM(n.overrides), 0) FROM sheet_snapshots n
		JOIN applications a ON a.id = n.application_id
		WHERE a.campaign_id = $1 AND n.id IN (SELECT MAX(x.id) FROM sheet_snapshots x JOIN score_sheets y ON y.id = x.sheet_id
			JOIN applications z ON z.id = x.application_id WHERE z.campaign_id = $1 GROUP BY x.application_id, y.kind)
		GROUP BY substr(a.division, 1, 9)`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("bulletin overrides: %w", err)
	}
	if err := eachRow(or, func(or *sql.Rows) error {
		var prefix string
		var n int
		if err := or.Scan(&prefix, &n); err != nil {
			return err
		}
		row(prefix + "000").Overrides += n
		return nil
	}); err != nil {
		return nil, err
	}
	today := b.IssuedOn
	over, err := tx.QueryContext(ctx, `SELECT `+rectColumns+` FROM rectifications r WHERE r.state = 'open' AND r.deadline < $1
		AND r.division BETWEEN $2 AND $3 ORDER BY r.deadline, r.id`, today, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("bulletin overdue: %w", err)
	}
	if err := eachRow(over, func(over *sql.Rows) error {
		r, err := scanRect(over, today)
		if err != nil {
			return err
		}
		row(r.Division[:9]+"000").Overdue++
		if len(b.Overdue) < 100 {
			b.Overdue = append(b.Overdue, r)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	rankBulletin(b, rows)
	return b, nil
}

// rankBulletin puts the rows with a name (the divisions of the bulletin's
// own; a row without one counted something outside them) into b with
// their rates, sums them into b.Total, and ranks them: by completion rate,
// then named, applied, fewer overdue items, and code.
func rankBulletin(b *healthcell.Bulletin, rows map[string]*healthcell.BulletinRow) {
	for _, r := range rows {
		if r.Name == "" {
			continue // not a division of the bulletin's
		}
		if r.Target > 0 {
			r.Rate = float64(int(float64(r.Named)/float64(r.Target)*1000+0.5)) / 10
		}
		b.Rows = append(b.Rows, *r)
		b.Total.Target += r.Target
		b.Total.Applications += r.Applications
		b.Total.Applied += r.Applied
		b.Total.Named += r.Named
		b.Total.Rectifying += r.Rectifying
		b.Total.Overdue += r.Overdue
		b.Total.Overrides += r.Overrides
	}
	if b.Total.Target > 0 {
		b.Total.Rate = float64(int(float64(b.Total.Named)/float64(b.Total.Target)*1000+0.5)) / 10
	}
	sort.Slice(b.Rows, func(i, j int) bool {
		x, y := b.Rows[i], b.Rows[j]
		if x.Rate != y.Rate {
			return x.Rate > y.Rate
		}
		if x.Named != y.Named {
			return x.Named > y.Named
		}
		if x.Applied != y.Applied {
			return x.Applied > y.Applied
		}
		if x.Overdue != y.Overdue {
			return x.Overdue < y.Overdue
		}
		return x.Township < y.Township
	})
	for i := range b.Rows {
		b.Rows[i].Rank = i + 1
	}
}

// FindBulletins lists stored bulletins of a campaign (0: of every campaign
// the caller sees, and the bulletins above the county it sees:
// bulletinVisible), newest first, without rows.
func (db *DB) FindBulletins(ctx context.Context, campaignID int64) ([]*healthcell.Bulletin, error) {
	if r := db.onReplica(ctx); r != db {
		return r.FindBulletins(ctx, campaignID)
	}
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if campaignID != 0 {
		where, args = " WHERE b.campaign_id = $1", []any{campaignID}
	}
	rows, err := db.r.QueryContext(ctx, `SELECT b.id, COALESCE(b.campaign_id, 0), COALESCE(c.name, ''), b.division, b.year, b.number, b.issued_on, b.issued_by, b.issued_at
		FROM bulletins b LEFT JOIN campaigns c ON c.id = b.campaign_id`+where+` ORDER BY b.issued_at DESC, b.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("find bulletins: %w", err)
	}
	var out []*healthcell.Bulletin
	if err := eachRow(rows, func(rows *sql.Rows) error {
		b := &healthcell.Bulletin{}
		if err := rows.Scan(&b.ID, &b.CampaignID, &b.CampaignName, &b.Division, &b.Year, &b.Number, &b.IssuedOn, &b.IssuedBy, &b.IssuedAt); err != nil {
			return err
		}
		if bulletinVisible(a, b.Division) {
			out = append(out, b)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// FindBulletin returns a stored bulletin as issued, narrowed to what the
// caller may read (bulletinFor); ENOTFOUND when there is none the caller
// sees.
func (db *DB) FindBulletin(ctx context.Context, id int64) (*healthcell.Bulletin, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var body, div string
	err = db.r.QueryRowContext(ctx, `SELECT body, division FROM bulletins WHERE id = $1`, id).Scan(&body, &div)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !bulletinVisible(a, div)) {
		return nil, notFound("bulletin")
	}
	if err != nil {
		return nil, fmt.Errorf("find bulletin %d: %w", id, err)
	}
	b := &healthcell.Bulletin{}
	if err := json.Unmarshal([]byte(body), b); err != nil {
		return nil, fmt.Errorf("decode bulletin %d: %w", id, err)
	}
	b.ID = id
	if err := db.bulletinFor(ctx, a, b); err != nil {
		return nil, err
	}
	return b, nil
}

// IssueDueBulletins issues, as the caller (the system, from the server's
// schedule), the next bulletin of every campaign whose schedule
// (BulletinDays) says one is due: none yet, or the last one BulletinDays
// or more days ago (calendar days in Asia/Shanghai). It returns how many
// it issued.
func (db *DB) IssueDueBulletins(ctx context.Context) (int, error) {
	cs, err := db.FindCampaigns(ctx)
	if err != nil {
		return 0, err
	}
	today, _ := time.Parse(time.DateOnly, healthcell.CampaignDay(db.Now()))
	n := 0
	for _, c := range cs {
		if c.BulletinDays <= 0 || today.Year() > c.Year {
			continue
		}
		var last string
		if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(issued_on), '') FROM bulletins WHERE campaign_id = $1`, c.ID).Scan(&last); err != nil {
			return n, err
		}
		if last != "" {
			l, _ := time.Parse(time.DateOnly, last)
			if today.Sub(l) < time.Duration(c.BulletinDays)*24*time.Hour {
				continue
			}
		}
		if _, err := db.issueBulletin(ctx, c, true); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
