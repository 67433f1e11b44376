package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
)

// planBody is the part of a plan stored as one JSON document.
type planBody struct {
	Sections   []healthcell.PlanSection    `json:"sections"`
	Goals      []healthcell.PlanGoal       `json:"goals"`
	Pilots     []healthcell.PlanPilot      `json:"pilots"`
	Phases     []healthcell.PlanPhase      `json:"phases"`
	Members    []healthcell.PlanMember     `json:"members"`
	Tasks      []healthcell.PlanTask       `json:"tasks"`
	Milestones []healthcell.PlanMilestone  `json:"milestones"`
	Budget     []healthcell.PlanBudgetLine `json:"budget"`
}

// readPlan reads a campaign's stored plan, unfiltered; ENOTFOUND when the
// campaign has none.
func readPlan(ctx context.Context, q querier, c *healthcell.Campaign) (*healthcell.Plan, error) {
	p := &healthcell.Plan{CampaignID: c.ID, Division: c.Division, Year: c.Year}
	var body string
	var published sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT state, title, template, body, version, updated_by, updated_at, published_at
		FROM plans WHERE campaign_id = $1`, c.ID).Scan(&p.State, &p.Title, &p.Template, &body, &p.Version, &p.UpdatedBy, &p.UpdatedAt, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("plan")
	}
	if err != nil {
		return nil, fmt.Errorf("find plan %d: %w", c.ID, err)
	}
	if published.Valid {
		t := published.Time
		p.PublishedAt = &t
	}
	var b planBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, fmt.Errorf("plan %d body: %w", c.ID, err)
	}
	p.Sections, p.Goals, p.Pilots, p.Phases, p.Members, p.Tasks, p.Milestones, p.Budget =
		b.Sections, b.Goals, b.Pilots, b.Phases, b.Members, b.Tasks, b.Milestones, b.Budget
	return p, nil
}

// planReader reports whether a reads plans of county at all, and whether it
// reads drafts: the county office reads everything, townships, villages,
// departments, evaluators and viewers read published plans; unit contacts
// read none.
func planReader(a *healthcell.Actor, county string) (reads, drafts bool) {
	if !campaignVisible(a, county) {
		return false, false
	}
	if a.System || a.Role == healthcell.RoleCountyAdmin && a.CoversDivision(county) {
		return true, true
	}
	return a.Role != healthcell.RoleUnit, false
}

// planEditor returns EFORBIDDEN unless a is the county office of county.
func planEditor(a *healthcell.Actor, county string) error {
	if a.System || a.Role == healthcell.RoleCountyAdmin && a.CoversDivision(county) {
		return nil
	}
	return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
}

// visiblePlan reads the plan of campaign id as a may see it: ENOTFOUND
// when it may not; for a township or village officer only the goals and
// pilots of its own township; phones masked outside the county office.
func (db *DB) visiblePlan(ctx context.Context, a *healthcell.Actor, id int64) (*healthcell.Campaign, *healthcell.Plan, error) {
	c, err := findCampaign(ctx, db.r, id)
	if err != nil {
		return nil, nil, err
	}
	reads, drafts := planReader(a, c.Division)
	if !reads {
		return nil, nil, notFound("campaign")
	}
	p, err := readPlan(ctx, db.r, c)
	if err != nil {
		return nil, nil, err
	}
	if p.State != healthcell.PlanPublished && !drafts {
		return nil, nil, notFound("plan")
	}
	if !a.System && (a.Role == healthcell.RoleTownship || a.Role == healthcell.RoleVillage) {
		var goals []healthcell.PlanGoal
		for _, g := range p.Goals {
			if g.Township == "" || healthcell.Covers(g.Township, a.Scope) {
				goals = append(goals, g)
			}
		}
		var pilots []healthcell.PlanPilot
		for _, pl := range p.Pilots {
			if healthcell.Covers(pl.Township, a.Scope) || healthcell.Covers(a.Scope, pl.Village) {
				pilots = append(pilots, pl)
			}
		}
		p.Goals, p.Pilots = goals, pilots
	}
	if !a.SeesPersonal(c.Division) {
		maskMembers(p.Members)
	}
	return c, p, nil
}

// maskMembers masks the phones of the leading group.
func maskMembers(ms []healthcell.PlanMember) {
	for i := range ms {
		if ms[i].Phone != "" {
			ms[i].Phone = healthcell.MaskPhone(ms[i].Phone)
		}
	}
}

// FindPlan returns a campaign's plan as the caller may see it, with its
// tasks' progress, reports and spending. ENOTFOUND when there is none, the
// campaign is out of scope, or the plan is a draft and the caller is not
// the county office.
func (db *DB) FindPlan(ctx context.Context, campaignID int64) (*healthcell.Plan, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	_, p, err := db.visiblePlan(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if err := db.fillPlanActivity(ctx, p); err != nil {
		return nil, err
	}
	day := healthcell.CampaignDay(db.Now())
	for i := range p.Tasks {
		t := &p.Tasks[i]
		t.Overdue = t.Progress < 100 && day > t.Deadline
	}
	return p, nil
}

// SavePlan stores p as the plan of its campaign — a new plan when p.Version
// is 0, else replacing version p.Version — and sets the campaign's deadline
// to the last day of the phase that ends applications, in one audited
// transaction. EFORBIDDEN for anyone but the county office, EINVALID with
// the fields at fault (nothing stored), ECONFLICT for a stale version or a
// second plan of the campaign, ENOTFOUND for a campaign out of scope.
func (db *DB) SavePlan(ctx context.Context, p *healthcell.Plan) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	c, err := findCampaign(ctx, db.r, p.CampaignID)
	if err != nil {
		return err
	}
	if !campaignVisible(a, c.Division) {
		return notFound("campaign")
	}
	if err := planEditor(a, c.Division); err != nil {
		return err
	}
	p.Division, p.Year = c.Division, c.Year
	if p.State == "" {
		p.State = healthcell.PlanDraft
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := db.checkPlanRefs(ctx, p); err != nil {
		return err
	}
	body, err := json.Marshal(planBody{p.Sections, p.Goals, p.Pilots, p.Phases, p.Members, p.Tasks, p.Milestones, p.Budget})
	if err != nil {
		return err
	}
	given := *p // a PostgreSQL write may run again (DB.write): each run starts from it
	return db.write(ctx, func(tx *Tx) error {
		*p = given
		old, err := readPlan(ctx, tx, c)
		exists := err == nil
		if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			return err
		}
		switch {
		case exists && p.Version != old.Version:
			return healthcell.Errorf(healthcell.ECONFLICT, "plan.changed")
		case !exists && p.Version != 0:
			return healthcell.Errorf(healthcell.ECONFLICT, "plan.changed")
		}
		p.UpdatedBy, p.UpdatedAt = tx.actor.Username, tx.now
		if exists {
			p.PublishedAt = old.PublishedAt
			if p.State == healthcell.PlanPublished && p.PublishedAt == nil {
				t := tx.now
				p.PublishedAt = &t
			}
			p.Version = old.Version + 1
			if _, err := tx.ExecContext(ctx, `UPDATE plans SET state = $1, title = $2, template = $3, body = $4, version = $5,
				updated_by = $6, updated_at = $7, published_at = $8 WHERE campaign_id = $9`,
				p.State, p.Title, p.Template, string(body), p.Version, p.UpdatedBy, p.UpdatedAt, nullTime(p.PublishedAt), c.ID); err != nil {
				return fmt.Errorf("update plan: %w", err)
			}
		} else {
			if p.State == healthcell.PlanPublished {
				t := tx.now
				p.PublishedAt = &t
			}
			p.Version = 1
			if _, err := tx.ExecContext(ctx, `INSERT INTO plans (campaign_id, division, state, title, template, body, version, updated_by, updated_at, published_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, c.Division, p.State, p.Title, p.Template, string(body), p.Version,
				p.UpdatedBy, p.UpdatedAt, nullTime(p.PublishedAt)); err != nil {
				return fmt.Errorf("insert plan: %w", err)
			}
		}
		if d := p.ApplicationsDeadline(); d != "" && d != c.Deadline {
			if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET deadline = $1 WHERE id = $2`, d, c.ID); err != nil {
				return fmt.Errorf("campaign deadline: %w", err)
			}
			if err := tx.audit(ctx, "update", "campaign", c.ID, c.Division,
				map[string]string{"deadline": c.Deadline}, map[string]string{"deadline": d}); err != nil {
				return err
			}
		}
		action := "update"
		var before any
		if !exists {
			action = "create"
		} else {
			before = auditPlan(old)
		}
		return tx.audit(ctx, action, "plan", c.ID, c.Division, before, auditPlan(p))
	})
}

// auditPlan is a copy of p for the audit log, phones masked: the log is read
// by roles that may not see them.
func auditPlan(p *healthcell.Plan) *healthcell.Plan {
	cp := *p
	cp.Members = append([]healthcell.PlanMember(nil), p.Members...)
	maskMembers(cp.Members)
	cp.Reports, cp.Spending = nil, nil
	return &cp
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// checkPlanRefs checks that each goal names a stored standard (filling its
// cell type) and each pilot a stored village; EINVALID naming the rows.
func (db *DB) checkPlanRefs(ctx context.Context, p *healthcell.Plan) error {
	var fe []healthcell.FieldError
	cells := map[string]string{}
	for i := range p.Goals {
		g := &p.Goals[i]
		cell, ok := cells[g.Standard]
		if !ok {
			err := db.r.QueryRowContext(ctx, `SELECT cell_type FROM standards WHERE code = $1 ORDER BY version DESC LIMIT 1`, g.Standard).Scan(&cell)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("goal standard: %w", err)
			}
			cells[g.Standard] = cell
		}
		if cell == "" {
			fe = append(fe, healthcell.FieldError{Field: "goals.standard", Row: i + 1, Message: "plan.goal.standard.unknown", Value: g.Standard})
			continue
		}
		g.CellType = cell
	}
	for i, pl := range p.Pilots {
		var n int
		if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM divisions WHERE code = $1`, pl.Village).Scan(&n); err != nil {
			return fmt.Errorf("pilot village: %w", err)
		}
		if n == 0 {
			fe = append(fe, healthcell.FieldError{Field: "pilots.village", Row: i + 1, Message: "division.code.invalid", Value: pl.Village})
		}
	}
	return healthcell.Invalid(fe)
}

// PublishPlan publishes the draft plan of a campaign read at version (0
// skips the check), in one audited transaction. EFORBIDDEN for anyone but
// the county office, ECONFLICT when it is published already or stale.
func (db *DB) PublishPlan(ctx context.Context, campaignID int64, version int) (*healthcell.Plan, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCampaign(ctx, db.r, campaignID)
	if err != nil {
		return nil, err
	}
	if !campaignVisible(a, c.Division) {
		return nil, notFound("campaign")
	}
	if err := planEditor(a, c.Division); err != nil {
		return nil, err
	}
	var p *healthcell.Plan
	err = db.write(ctx, func(tx *Tx) error {
		var err error
		if p, err = readPlan(ctx, tx, c); err != nil {
			return err
		}
		if p.State == healthcell.PlanPublished {
			return healthcell.Errorf(healthcell.ECONFLICT, "plan.published")
		}
		if version != 0 && version != p.Version {
			return healthcell.Errorf(healthcell.ECONFLICT, "plan.changed")
		}
		t := tx.now
		p.State, p.PublishedAt, p.Version, p.UpdatedBy, p.UpdatedAt = healthcell.PlanPublished, &t, p.Version+1, tx.actor.Username, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET state = $1, published_at = $2, version = $3, updated_by = $4, updated_at = $5
			WHERE campaign_id = $6`, p.State, t, p.Version, p.UpdatedBy, p.UpdatedAt, c.ID); err != nil {
			return fmt.Errorf("publish plan: %w", err)
		}
		return tx.audit(ctx, "publish", "plan", c.ID, c.Division, nil, map[string]any{"version": p.Version})
	})
	return p, err
}
