package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
)

const campaignColumns = `id, division, year, name, deadline, time_zone, bulletin_days, created_at`

func scanCampaign(row interface{ Scan(...any) error }) (*healthcell.Campaign, error) {
	c := &healthcell.Campaign{}
	err := row.Scan(&c.ID, &c.Division, &c.Year, &c.Name, &c.Deadline, &c.TimeZone, &c.BulletinDays, &c.CreatedAt)
	return c, err
}

// findCampaign reads a campaign and its targets; ENOTFOUND when there is none.
func findCampaign(ctx context.Context, q querier, id int64) (*healthcell.Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("campaign")
	}
	if err != nil {
		return nil, fmt.Errorf("find campaign %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT township, target FROM campaign_targets WHERE campaign_id = $1 ORDER BY township`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign targets: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var t healthcell.CampaignTarget
		if err := rows.Scan(&t.Township, &t.Target); err != nil {
			return err
		}
		c.Targets = append(c.Targets, t)
		return nil
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// querier reads rows inside or outside a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// CreateCampaign stores a campaign of the caller's county with its
// township targets, in one audited transaction. It returns EFORBIDDEN for
// anyone but the county office, EINVALID for bad fields or a division
// outside the caller's scope, ECONFLICT when the county already has a
// campaign of that name in that year.
func (db *DB) CreateCampaign(ctx context.Context, c *healthcell.Campaign) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.System && a.Role != healthcell.RoleCountyAdmin {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Division == "" {
		c.Division = a.Scope
	}
	c.Division = healthcell.NormalizeCode(c.Division)
	c.TimeZone = healthcell.CampaignTimeZone
	if err := c.Validate(); err != nil {
		return err
	}
	if !a.CoversDivision(c.Division) {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "division", Message: "division.code.invalid", Value: c.Division}})
	}
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns WHERE division = $1 AND year = $2 AND name = $3`, c.Division, c.Year, c.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return healthcell.Errorf(healthcell.ECONFLICT, "campaign.duplicate")
		}
		c.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (division, year, name, deadline, time_zone, bulletin_days, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.Division, c.Year, c.Name, c.Deadline, c.TimeZone, c.BulletinDays,
			tx.actor.Username, tx.now).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert campaign: %w", err)
		}
		for _, t := range c.Targets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_targets (campaign_id, township, target) VALUES ($1, $2, $3)
				ON CONFLICT (campaign_id, township) DO UPDATE SET target = excluded.target`, c.ID, t.Township, t.Target); err != nil {
				return fmt.Errorf("campaign target: %w", err)
			}
		}
		return tx.audit(ctx, "create", "campaign", c.ID, c.Division, nil, c)
	})
}

// FindCampaign returns a campaign whose county covers or lies in the
// caller's scope; ENOTFOUND otherwise.
func (db *DB) FindCampaign(ctx context.Context, id int64) (*healthcell.Campaign, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCampaign(ctx, db.r, id)
	if err != nil {
		return nil, err
	}
	if !campaignVisible(a, c.Division) {
		return nil, notFound("campaign")
	}
	return c, nil
}

// campaignVisible reports whether a campaign of county is the actor's: its
// county covers the actor's scope or lies inside it.
func campaignVisible(a *healthcell.Actor, county string) bool {
	return a.System || healthcell.Covers(county, a.Scope) || healthcell.Covers(a.Scope, county)
}

// FindCampaigns lists the campaigns visible to the caller, newest year first.
func (db *DB) FindCampaigns(ctx context.Context) ([]*healthcell.Campaign, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := db.visibleCampaignIDs(ctx, a, `SELECT id, division FROM campaigns ORDER BY year DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find campaigns: %w", err)
	}
	out := make([]*healthcell.Campaign, 0, len(ids))
	for _, id := range ids {
		c, err := findCampaign(ctx, db.r, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// visibleCampaignIDs runs query, which selects a campaign id and its
// division, and returns the ids of the campaigns a may see, in the query's
// order. It returns the query's error.
func (db *DB) visibleCampaignIDs(ctx context.Context, a *healthcell.Actor, query string, args ...any) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var div string
		if err := rows.Scan(&id, &div); err != nil {
			return err
		}
		if campaignVisible(a, div) {
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return ids, nil
}
